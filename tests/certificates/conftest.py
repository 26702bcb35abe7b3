import pytest

from tests.certificates.builders import awarded, closed_session


@pytest.fixture
def session(path_setting):
    return closed_session(path_setting)


@pytest.fixture
def decision(path_setting, session):
    return awarded(path_setting, session)


@pytest.fixture
def certificate(path_setting, decision):
    from clea.certificates.services import issue_certificate

    return issue_certificate(decision, by=path_setting["certifier"])
