"""A backup without secrets leaves out the identity provider's client secret, as it leaves out
password hashes and the session key; the rest of the provider's settings are kept."""
from services import audit_service, backup_service, settings_service
from store import Put


def test_a_backup_without_secrets_leaves_out_the_client_secret(store):
    store.commit([Put(settings_service.SETTINGS, settings_service.OIDC,
                      {"issuer": "https://sso.example.org/realms/staff", "client_id": "app",
                       "client_secret": "s3cret-never-exported", "by": audit_service.COMMAND_LINE.name})])
    records, _ = backup_service.contents(store)
    [saved] = [r for r in records["settings"] if r["id"] == settings_service.OIDC]
    assert "client_secret" not in saved and saved["client_id"] == "app"
    assert "s3cret-never-exported" not in str(records)
    records, _ = backup_service.contents(store, with_secrets=True)
    assert "s3cret-never-exported" in str(records)
