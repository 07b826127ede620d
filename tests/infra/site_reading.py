"""Reading the web site out of a synthesized template: cache behaviors, their security headers and CSP,
and the files a bucket deployment publishes."""

from pathlib import Path

from aws_cdk.assertions import Template

from tests.infra.template_reading import Resource, references, render

#: where the bucket holds the REST API's documents, and the site's path to them
DOCS_PREFIX = "api/docs/"


def the_one(template: Template, resource_type: str) -> tuple[str, Resource]:
    ((logical_id, resource),) = template.find_resources(resource_type).items()
    return logical_id, dict(resource)


def distribution_of(template: Template) -> tuple[str, Resource]:
    """The distribution's logical id and its DistributionConfig."""
    logical_id, resource = the_one(template, "AWS::CloudFront::Distribution")
    return logical_id, resource["Properties"]["DistributionConfig"]


def behaviors(config: Resource) -> dict[str, Resource]:
    """Cache behaviors by path pattern, the default one as `*`."""
    return {"*": config["DefaultCacheBehavior"]} | {
        behavior["PathPattern"]: behavior for behavior in config.get("CacheBehaviors", [])
    }


def security_headers(template: Template, behavior: Resource) -> Resource:
    policies = template.find_resources("AWS::CloudFront::ResponseHeadersPolicy")
    (policy_id,) = references(behavior["ResponseHeadersPolicyId"])
    config: Resource = policies[policy_id]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]
    return config


def content_security_policy(template: Template, behavior: Resource) -> str:
    return render(security_headers(template, behavior)["ContentSecurityPolicy"]["ContentSecurityPolicy"])


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def deployment_at(template: Template, prefix: str) -> Resource:
    """The properties of the bucket deployment publishing under `prefix` of the bucket."""
    (properties,) = (
        resource["Properties"]
        for resource in template.find_resources("Custom::CDKBucketDeployment").values()
        if resource["Properties"].get("DestinationBucketKeyPrefix") == prefix
    )
    return dict(properties)


def published_files(deployment: Resource, cdk_out: Path) -> dict[str, str]:
    """The deployed files by path under their prefix, with deploy-time values as ${Ref} / ${Id.Attribute}."""
    files = {}
    for key, markers in zip(deployment["SourceObjectKeys"], deployment["SourceMarkers"], strict=True):
        folder = cdk_out / f"asset.{key.removesuffix('.zip')}"
        for path in (path for path in folder.rglob("*") if path.is_file()):
            text = path.read_bytes().decode(errors="replace")
            for marker, value in markers.items():
                text = text.replace(marker, render(value))
            files[path.relative_to(folder).as_posix()] = text
    return files
