"""The system of record: RDS PostgreSQL in isolated subnets, behind an RDS Proxy.

Credentials are generated into Secrets Manager and rotated; functions read the secret's ARN
from their environment and connect through the proxy (DATABASE_HOST), which pools their
connections so a burst of Lambda invocations cannot exhaust the database's.
"""

from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from constructs import Construct

from infra.config import StageConfig
from infra.constructs.network import LearnFlowNetwork

ENGINE_VERSION = rds.PostgresEngineVersion.VER_18
DATABASE_NAME = "learnflow"
DATABASE_USERNAME = "learnflow"
POSTGRES_PORT = 5432
ROTATION_PERIOD = Duration.days(30)
#: what the proxy may open of the database's max_connections (the rest is for rotation and operators)
PROXY_MAX_CONNECTIONS_PERCENT = 80
EXPORTED_LOGS = ("postgresql", "upgrade")


class LearnFlowDatabase(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StageConfig, network: LearnFlowNetwork
    ) -> None:
        super().__init__(scope, construct_id)
        profile = config.profile
        self._network = network
        self.instance_security_group = network.security_group(
            self, "InstanceSecurityGroup", "The PostgreSQL instance: from the proxy and deploy hooks only"
        )
        self.proxy_security_group = network.security_group(
            self, "ProxySecurityGroup", "The RDS Proxy: from the functions that use the database"
        )
        identifier = config.name("db")
        log_groups = [
            logs.LogGroup(
                self,
                f"{kind.capitalize()}Logs",
                log_group_name=f"/aws/rds/instance/{identifier}/{kind}",
                retention=profile.log_retention,
                removal_policy=profile.retained_data_policy,
            )
            for kind in EXPORTED_LOGS
        ]
        self.instance = rds.DatabaseInstance(
            self,
            "Instance",
            instance_identifier=identifier,
            engine=rds.DatabaseInstanceEngine.postgres(version=ENGINE_VERSION),
            instance_type=ec2.InstanceType(profile.database_instance_type),
            vpc=network.vpc,
            vpc_subnets=LearnFlowNetwork.ISOLATED,
            security_groups=[self.instance_security_group],
            database_name=DATABASE_NAME,
            # generated secret names: a deleted secret's name stays taken for its recovery window
            credentials=rds.Credentials.from_generated_secret(DATABASE_USERNAME),
            storage_encrypted=True,
            storage_type=rds.StorageType.GP3,
            allocated_storage=profile.database_storage_gib,
            max_allocated_storage=profile.database_max_storage_gib,
            multi_az=profile.database_multi_az,
            backup_retention=Duration.days(profile.database_backup_days),
            delete_automated_backups=False,
            deletion_protection=profile.database_deletion_protection,
            removal_policy=profile.database_removal_policy,
            iam_authentication=True,
            auto_minor_version_upgrade=True,
            cloudwatch_logs_exports=list(EXPORTED_LOGS),
            publicly_accessible=False,
        )
        for log_group in log_groups:  # created first, so RDS writes into groups with a retention
            self.instance.node.add_dependency(log_group)
        secret = self.instance.secret
        assert secret is not None  # generated credentials always come with their secret
        self.secret = secret
        self.rotation = self.instance.add_rotation_single_user(
            automatically_after=ROTATION_PERIOD,
            endpoint=network.secrets_manager_endpoint,
            vpc_subnets=LearnFlowNetwork.ISOLATED,
        )
        self.proxy = rds.DatabaseProxy(
            self,
            "Proxy",
            db_proxy_name=config.name("db-proxy"),
            proxy_target=rds.ProxyTarget.from_instance(self.instance),
            secrets=[self.secret],
            vpc=network.vpc,
            vpc_subnets=LearnFlowNetwork.ISOLATED,
            security_groups=[self.proxy_security_group],
            require_tls=True,
            max_connections_percent=PROXY_MAX_CONNECTIONS_PERCENT,
            idle_client_timeout=Duration.minutes(30),
            borrow_timeout=Duration.seconds(30),
            debug_logging=False,
        )
        self._allow(self.proxy_security_group, self.instance_security_group, "the proxy (pooled connections)")
        #: functions with the `database` capability join this group: PostgreSQL to the proxy, nothing else
        self.clients_security_group = network.security_group(
            self, "ClientsSecurityGroup", "Functions that use the database: PostgreSQL to the proxy"
        )
        self._allow(self.clients_security_group, self.proxy_security_group, "database client functions")

    @property
    def proxy_endpoint(self) -> str:
        return self.proxy.endpoint

    def allow_direct(self, client: ec2.SecurityGroup, who: str) -> None:
        """For deploy-time work that must not depend on the proxy (schema migrations)."""
        self._allow(client, self.instance_security_group, who)

    @staticmethod
    def _allow(client: ec2.SecurityGroup, server: ec2.SecurityGroup, who: str) -> None:
        port = ec2.Port.tcp(POSTGRES_PORT)
        server.add_ingress_rule(client, port, f"PostgreSQL from {who}")
        client.add_egress_rule(server, port, f"PostgreSQL to {server.node.id}")
