from ..proof_counts import summary


def pytest_terminal_summary(terminalreporter):
    summary(terminalreporter, {"fuzz_cases": "API fuzzing: cases run"})
