from ..proof_counts import summary


def pytest_terminal_summary(terminalreporter):
    summary(
        terminalreporter,
        {
            "authz_urls": "authorization matrix: URL patterns",
            "authz_checks": "authorization matrix: URLs x roles checked",
        },
    )
