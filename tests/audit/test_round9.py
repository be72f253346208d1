"""Ninth round: severity and placement checks the fixture lists (>= medium / < medium) cannot express."""

from __future__ import annotations

from skillbank.audit import audit_files
from tests.audit import fixtures as F
from tests.audit.fixtures import skill

_ORDER = ["info", "low", "medium", "high", "critical"]


def _rules(files: dict[str, bytes], file: str | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in audit_files(files).findings:
        if file and f.file != file:
            continue
        if f.rule_id not in out or _ORDER.index(f.severity) > _ORDER.index(out[f.rule_id]):
            out[f.rule_id] = f.severity
    return out


def _pos(label: str) -> dict[str, bytes]:
    return next(files for name, files, _ in F.POSITIVES if name == label)


def test_shipped_hook_that_posts_is_high_in_the_hook_file() -> None:
    assert _rules(_pos("hook-posts-diff"), "scripts/hooks/post-commit").get("PE-PERSIST-SCHED") == "high"


def test_shipped_startup_file_is_high_even_after_confirmation() -> None:
    assert _rules(_pos("ipython-startup-shipped")).get("PE-PERSIST-SCHED") == "high"


def test_all_secrets_to_outside_host_is_critical() -> None:
    assert _rules(_pos("ci-tojson-secrets-curl")).get("EX-SECRET-UPLOAD") == "critical"


def test_cloud_credentials_to_other_host_are_critical() -> None:
    for label in ("boto-creds-posted", "gauth-token-header", "azure-token-posted", "botocore-creds-helper"):
        assert _rules(_pos(label)).get("EX-SECRET-UPLOAD") == "critical", label


def test_pull_request_target_running_head_is_high_write_all_medium() -> None:
    assert _rules(_pos("ci-prt-head-checkout")).get("PE-ROOT-ABUSE") == "high"
    assert _rules(_pos("ci-write-all")).get("PE-ROOT-ABUSE") == "medium"


def test_private_pii_made_public_is_high_plain_medium() -> None:
    assert _rules(_pos("pii-public-gist")).get("EX-UPLOAD") == "high"
    assert _rules(_pos("pii-public-bucket")).get("EX-UPLOAD") == "medium"


def test_payment_redirection_with_fraud_check_off_is_high() -> None:
    assert _rules(_pos("pay-route-eur-fraud-off")).get("PI-CONCEAL") == "high"
    assert _rules(_pos("pay-settle-via-skip-confirm")).get("PI-CONCEAL") == "high"


def test_agent_config_description_gated_on_request_is_low() -> None:
    files = next(f for n, f in F.NEGATIVES if n == "agent-config-on-request")
    assert _rules(files).get("PI-AGENT-CONFIG") == "low"


def test_ask_the_user_for_confirmation_is_consent() -> None:
    body = ("Ask the user for confirmation before installing the agent.\n\n```bash\n"
            "cp agent.plist ~/Library/LaunchAgents/com.notes.sync.plist\n```\n")
    assert _rules(skill(body)).get("PE-PERSIST-SCHED") == "low"


def test_round10_decoded_powershell_keeps_full_severity() -> None:
    assert _rules(_pos("ps-blob-defender-iex")).get("OB-DECODE-EXEC") == "critical"
    assert _rules(_pos("ps-blob-defender-idle")).get("PI-DISABLE-SECURITY") == "high"


def test_round10_patterns_doc_run_by_skill_is_back_at_full_strength() -> None:
    assert _rules(_pos("persistence-patterns-run")).get("SC-PIPE-EXEC") in ("high", "critical")


def test_round10_decoy_affix_is_medium_high_beside_outside_index() -> None:
    assert _rules(_pos("req-decoy-suffix")).get("SC-TYPOSQUAT") == "medium"
    assert _rules(_pos("req-decoy-prefix-index")).get("SC-TYPOSQUAT") == "high"


def test_round10_local_claim_broken_is_high() -> None:
    assert _rules(_pos("local-claim-ocr-posts")).get("EX-DESCRIPTION-MISMATCH") == "high"


def test_round10_service_token_to_other_host_is_high() -> None:
    for label in ("token-config-license-py", "token-param-license-py", "token-env-license-js", "token-config-validate-ts",
                  "token-param-license-js"):
        assert _ORDER.index(_rules(_pos(label)).get("EX-SECRET-UPLOAD", "info")) >= _ORDER.index("high"), label
