"""The dashboard shows LearnFlow's own metrics beside AWS's; alarms watch the 5XX rate and consumer lag."""

import json

from aws_cdk.assertions import Template

BUSINESS_METRICS = (
    "QuestionsAsked",
    "TriageConfidence",
    "TutorAnswers",
    "ProgramsRun",
    "SubmissionsGraded",
    "StruggleEpisodesOpened",
    "StruggleEpisodesClosed",
    "NotificationsSent",
    "LlmPromptTokens",
    "LlmCompletionTokens",
    "LlmFallbacks",
    "PoisonRecordsParked",
)


def test_the_dashboard_shows_the_business_metrics_beside_lambda_api_gateway_and_msk(
    template: Template,
) -> None:
    (dashboard,) = template.find_resources("AWS::CloudWatch::Dashboard").values()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for metric in BUSINESS_METRICS:
        assert metric in body, metric
    assert "SEARCH('{LearnFlow,service,channel,intent} MetricName=" in body
    for aws_metric in ("AWS/ApiGateway", "AWS/Lambda", "OffsetLag"):
        assert aws_metric in body


def test_alarms_watch_the_rest_5xx_rate_and_consumer_lag(template: Template) -> None:
    alarms = template.find_resources("AWS::CloudWatch::Alarm").values()
    expressions = [
        query.get("Expression", "") for alarm in alarms for query in alarm["Properties"].get("Metrics", [])
    ]
    (rate,) = [expression for expression in expressions if "100 * errors / requests" in expression]
    assert rate.startswith("IF(requests > 0")
    watched = {
        query["MetricStat"]["Metric"]["MetricName"]
        for alarm in alarms
        for query in alarm["Properties"].get("Metrics", [])
        if "MetricStat" in query
    }
    assert {"5XXError", "Count", "OffsetLag"} <= watched
