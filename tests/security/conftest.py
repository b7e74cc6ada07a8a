from ..proof_counts import summary


def pytest_terminal_summary(terminalreporter):
    summary(terminalreporter, {"bad_inputs": "bad inputs tried"})
