"""Reading a synthesized template: references, values with intrinsics, subnets, which function is which."""

from typing import Any

from aws_cdk.assertions import Template

Resource = dict[str, Any]


def references(value: Any) -> set[str]:
    """Logical ids a template value refers to (Ref and Fn::GetAtt), at any depth."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return {value["Ref"]}
        if set(value) == {"Fn::GetAtt"}:
            return {value["Fn::GetAtt"][0]}
        return set().union(*(references(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(references(item) for item in value))
    return set()


def render(value: Any) -> str:
    """A template string value with its intrinsics written as ${Ref} / ${Id.Attribute}."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"${{{value['Ref']}}}"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return "${" + ".".join(value["Fn::GetAtt"]) + "}"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(render(part) for part in parts)
    if isinstance(value, dict) and "Fn::Select" in value:
        index, items = value["Fn::Select"]
        return f"${{{render(items)}[{index}]}}"
    if isinstance(value, dict) and "Fn::Split" in value:
        separator, source = value["Fn::Split"]
        return f"{render(source)}.split({separator})"
    raise AssertionError(f"cannot render {value!r}")


def function_referenced_by(value: Any, function_names: dict[str, str]) -> str:
    (name,) = {function_names[ref] for ref in references(value) if ref in function_names}
    return name


def tag_value(properties: Resource, key: str) -> str | None:
    for tag in properties.get("Tags", []):
        if tag["Key"] == key:
            return str(tag["Value"])
    return None


def subnets_by_kind(template: Template) -> dict[str, set[str]]:
    """Subnet logical ids by the kind CDK tags them with (Public, Private, Isolated)."""
    kinds: dict[str, set[str]] = {}
    for logical_id, subnet in template.find_resources("AWS::EC2::Subnet").items():
        tags = {tag["Key"]: tag["Value"] for tag in subnet["Properties"]["Tags"]}
        kinds.setdefault(tags["aws-cdk:subnet-name"], set()).add(logical_id)
    return kinds


def subnet_ids_of(vpc_config: Resource) -> set[str]:
    return set().union(*(references(subnet) for subnet in vpc_config["SubnetIds"]))


def assert_isolated_image_function(template: Template, props: Resource) -> None:
    """An image function runs in the isolated subnets and reaches nothing but the VPC endpoints (443)."""
    assert props["PackageType"] == "Image"
    assert props["ReservedConcurrentExecutions"] >= 1
    assert subnet_ids_of(props["VpcConfig"]) == subnets_by_kind(template)["Isolated"]
    (endpoint_group,) = {
        logical_id
        for logical_id, group in template.find_resources("AWS::EC2::SecurityGroup").items()
        if group["Properties"]["GroupDescription"].startswith("Interface VPC endpoints")
    }
    groups = set().union(*(references(group) for group in props["VpcConfig"]["SecurityGroupIds"]))
    security_groups = template.find_resources("AWS::EC2::SecurityGroup")
    egress_rules = template.find_resources("AWS::EC2::SecurityGroupEgress")
    for group in groups:
        inline = security_groups[group]["Properties"].get("SecurityGroupEgress", [])
        assert all(rule.get("CidrIp") == "255.255.255.255/32" for rule in inline), "no inline egress"
        for rule in egress_rules.values():
            if references(rule["Properties"]["GroupId"]) == {group}:
                assert references(rule["Properties"]["DestinationSecurityGroupId"]) == {endpoint_group}
                assert rule["Properties"]["FromPort"] == rule["Properties"]["ToPort"] == 443
