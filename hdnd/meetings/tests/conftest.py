from hdnd.testing.meeting_fixtures import *  # noqa: F403
