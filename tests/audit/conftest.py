from tests.certificates.conftest import certificate, decision, session

__all__ = ["certificate", "decision", "session"]
