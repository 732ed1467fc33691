from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide parts: health probes, logging hooks, operator commands."""

    name = "portal"

    def ready(self) -> None:
        from portal import security_log

        security_log.connect_lockout_signal()
