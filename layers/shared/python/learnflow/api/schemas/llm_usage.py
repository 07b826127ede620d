"""GET /admin/llm-usage: LLM tokens spent on a day, per user and in all, against the daily budgets."""

from datetime import date

from pydantic import BaseModel, Field


class UserUsage(BaseModel):
    user_id: str = Field(
        description="The user the tokens were spent for", examples=["6a1f3c2e-0d4b-4e8a-9f21-3b5c7d9e1a2b"]
    )
    prompt_tokens: int = Field(ge=0, examples=[5200])
    completion_tokens: int = Field(ge=0, examples=[2100])
    tokens: int = Field(ge=0, description="Prompt and completion tokens together", examples=[7300])
    calls: int = Field(
        ge=0, description="LLM answers paid for (answers from the cache cost nothing)", examples=[6]
    )


class Budgets(BaseModel):
    per_student_daily: int = Field(ge=0, description="LLM_STUDENT_DAILY_TOKENS", examples=[60000])
    per_deployment_daily: int = Field(ge=0, description="LLM_DEPLOYMENT_DAILY_TOKENS", examples=[3000000])


class LlmUsageReport(BaseModel):
    day: date = Field(description="A UTC calendar day", examples=["2026-12-05"])
    budgets: Budgets
    deployment_tokens: int = Field(ge=0, description="Tokens everyone spent that day", examples=[7300])
    users: list[UserUsage] = Field(description="The biggest spenders first, at most `limit`")
