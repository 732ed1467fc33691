import pytest

from security import stats
from security.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


def pytest_terminal_summary(terminalreporter) -> None:
    if stats.counts:
        figures = ", ".join(
            f"{name}: {count}" for name, count in sorted(stats.counts.items())
        )
        terminalreporter.write_line(f"security suite figures: {figures}")
