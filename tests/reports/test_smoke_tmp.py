import pytest
from tests.support.web import login_as, form_post

pytestmark = pytest.mark.usefixtures("demo")

@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_smoke(client):
    login_as(client, "admin")
    for url in ["/hallinto/raportit", "/hallinto/raportit/indikaattorit", "/hallinto/raportit/indikaattorit.csv", "/hallinto/raportit/indikaattorit.xlsx", "/hallinto/raportit/vaikutukset", "/hallinto/raportit/tavoitteet", "/hallinto/raportit/kustannukset", "/hallinto/raportit/kustannukset?laske=1&v-prison=1&kulut=50000"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[-3000:])
    client.cookies.clear()
    login_as(client, "case-worker")
    r = client.get("/asiakkaat/vuosiarvioinnit"); assert r.status_code == 200, r.text[-3000:]
    client.cookies.clear()
    login_as(client, "client")
    r = client.get("/oma/vuosiarviointi"); assert r.status_code == 200, r.text[-3000:]
    r = form_post(client, "/oma/vuosiarviointi/muuttunut", {"reason": "x"}); assert r.status_code == 303, r.text[-3000:]
