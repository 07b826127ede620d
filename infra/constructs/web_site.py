"""The stack's web site: static files on a private S3 bucket, served by a CloudFront distribution.

Only the distribution reads the bucket (origin access control); viewers are redirected to HTTPS and
every answer carries the security headers. Content is published one part at a time: each part has its
own folder of the bucket, its own Content-Security-Policy, so each page is allowed exactly the sources
it needs, and a cache behavior of its own (`publish`, at /<path>/) or the default one
(`publish_at_root`). At the root, a CloudFront Function maps every path into the root's folder and
answers a page path (one whose last segment has no dot, like /tutor or /exercises/<id>) with its
index.html, so a single-page application's own paths load on a reload; paths of the other parts never
reach it. Until something is published at the root, nothing may load there; what is not published
answers 403. The distribution's requests and the bucket's reads are logged to a log bucket.
"""

from collections.abc import Sequence
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.functions import execution_role

HSTS_MAX_AGE = Duration.days(365)
ACCESS_LOG_DAYS = 90
#: CDK's feature flag: S3 delivers the bucket's access logs under a bucket policy, not a legacy ACL
ACCESS_LOGS_BY_BUCKET_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"
#: where nothing is published: nothing may load, nothing may frame it
NOTHING_ALLOWED = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: browsers revalidate each load (the edge answers 304); the edge keeps a day, and each deploy invalidates it
#: the bucket's folder the site's root is published in
ROOT_FOLDER = "root"
#: CloudFront Functions' JavaScript (cloudfront-js-2.0): the root's paths in its folder, page paths as
#: its index.html
ROOT_PATHS_FUNCTION = f"""function handler(event) {{
    var request = event.request;
    var name = request.uri.split("/").pop();
    request.uri = "/{ROOT_FOLDER}" + (name.indexOf(".") === -1 ? "/index.html" : request.uri);
    return request;
}}
"""
PUBLISHED_CACHE_CONTROL = (
    s3_deployment.CacheControl.max_age(Duration.seconds(0)),
    s3_deployment.CacheControl.s_max_age(Duration.days(1)),
)


class LearnFlowWebSite(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.node.set_context(ACCESS_LOGS_BY_BUCKET_POLICY, True)
        self._config = config
        removal_policy = config.profile.retained_data_policy
        self.log_bucket = _private_bucket(
            self,
            "Logs",
            removal_policy,
            # CloudFront's standard logging writes its files with an ACL the log bucket must accept
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(ACCESS_LOG_DAYS))],
        )
        self.bucket = _private_bucket(
            self,
            "Files",
            removal_policy,
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix="files/",
        )
        self._origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)
        self.root_paths = cloudfront.Function(
            self,
            "RootPaths",
            comment=f"{config.prefix} web site: the root's paths in its folder, page paths as index.html",
            code=cloudfront.FunctionCode.from_inline(ROOT_PATHS_FUNCTION),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        root = self._behavior("Root", NOTHING_ALLOWED)
        assert isinstance(root.response_headers_policy, cloudfront.ResponseHeadersPolicy)
        self._root_headers = root.response_headers_policy
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"{config.prefix} web site",
            default_behavior=cloudfront.BehaviorOptions(
                origin=root.origin,
                viewer_protocol_policy=root.viewer_protocol_policy,
                allowed_methods=root.allowed_methods,
                cache_policy=root.cache_policy,
                response_headers_policy=root.response_headers_policy,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.root_paths, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_logging=True,
            log_bucket=self.log_bucket,
            log_file_prefix="distribution/",
        )
        self._publishing_logs = logs.LogGroup(
            self,
            "PublishingLogs",
            retention=config.profile.log_retention,
            removal_policy=removal_policy,
        )
        #: the role of the function that copies published files into the bucket (CDK's BucketDeployment)
        self.publishing_role = execution_role(
            self,
            "PublishingRole",
            log_group=self._publishing_logs,
            purpose="the publishing of the web site's files",
            in_vpc=False,
        )

    @property
    def origin(self) -> str:
        """`https://<distribution domain>`: the origin browsers see the site's pages from."""
        return f"https://{self.distribution.distribution_domain_name}"

    def url_of(self, path: str) -> str:
        return f"{self.origin}/{path}"

    def publish(
        self, path: str, *, sources: Sequence[s3_deployment.ISource], content_security_policy: str
    ) -> s3_deployment.BucketDeployment:
        """Publishes `sources` at /<path>/ at every deploy (files no longer in them are deleted there),
        served with `content_security_policy`."""
        part = "".join(word.capitalize() for word in path.split("/"))
        behavior = self._behavior(part, content_security_policy)
        self.distribution.add_behavior(
            f"/{path}/*",
            behavior.origin,
            viewer_protocol_policy=behavior.viewer_protocol_policy,
            allowed_methods=behavior.allowed_methods,
            cache_policy=behavior.cache_policy,
            response_headers_policy=behavior.response_headers_policy,
        )
        return s3_deployment.BucketDeployment(
            self,
            f"{part}Files",
            sources=list(sources),
            destination_bucket=self.bucket,
            destination_key_prefix=f"{path}/",
            cache_control=list(PUBLISHED_CACHE_CONTROL),
            distribution=self.distribution,
            distribution_paths=[f"/{path}/*"],
            role=self.publishing_role,
            log_group=self._publishing_logs,
        )

    def publish_at_root(
        self, *, sources: Sequence[s3_deployment.ISource], content_security_policy: str
    ) -> s3_deployment.BucketDeployment:
        """Publishes `sources` at the site's root at every deploy (from the bucket's root folder; files no
        longer in them are deleted there), served with `content_security_policy`; page paths get its
        index.html."""
        headers = self._root_headers.node.default_child
        assert isinstance(headers, cloudfront.CfnResponseHeadersPolicy)
        headers.add_property_override(
            "ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy",
            content_security_policy,
        )
        return s3_deployment.BucketDeployment(
            self,
            "RootFiles",
            sources=list(sources),
            destination_bucket=self.bucket,
            destination_key_prefix=f"{ROOT_FOLDER}/",
            cache_control=list(PUBLISHED_CACHE_CONTROL),
            distribution=self.distribution,
            # the edge caches the root's files under the paths the function rewrote: all of them
            distribution_paths=["/*"],
            role=self.publishing_role,
            log_group=self._publishing_logs,
        )

    def _behavior(self, part: str, content_security_policy: str) -> cloudfront.BehaviorOptions:
        return cloudfront.BehaviorOptions(
            origin=self._origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=self._security_headers(part, content_security_policy),
        )

    def _security_headers(self, part: str, content_security_policy: str) -> cloudfront.ResponseHeadersPolicy:
        return cloudfront.ResponseHeadersPolicy(
            self,
            f"{part}Headers",
            comment=f"Security headers of {self._config.prefix}'s web site ({part})",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy, override=True
                ),
            ),
        )


def _private_bucket(
    scope: Construct, construct_id: str, removal_policy: RemovalPolicy, **options: Any
) -> s3.Bucket:
    """Private, encrypted, TLS only; emptied on delete when the stage deletes its data."""
    return s3.Bucket(
        scope,
        construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        removal_policy=removal_policy,
        auto_delete_objects=removal_policy == RemovalPolicy.DESTROY,
        **options,
    )
