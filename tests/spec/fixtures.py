"""Seeds a fresh server for the schemathesis run and writes its settings.

Registers the workspace owner the run signs in as, creates campaigns, leads, an
integration token, webhooks, an invitation and a second member, and appends to the given
schemathesis config the ids they got, as dictionaries the path and query parameters draw
from half of the time (the other half stays random, so 404s are exercised too). Without
them almost every `{id}` operation would only ever answer 404. Entities that an operation
deletes are kept apart from those the others read, so a delete early in the run does not
turn the rest into 404s.

The run signs in with a token minted with the server's secret (`JWT_SECRET` in the
environment), as an integration may: it has no sign-in session, so the run's own
`POST /api/auth/logout` ends nothing and every later case is still signed in.

usage: JWT_SECRET=... fixtures.py BASE_URL CONFIG_IN CONFIG_OUT  (prints the owner's token)
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request


def call(base, method, path, token=None, body=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as res:
        text = res.read()
        return json.loads(text) if text else None


def minted(secret, claims):
    """An HS256 JWT of `claims`, signed with `secret`."""
    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def main():
    base, config_in, config_out = sys.argv[1:4]
    owner = call(base, "POST", "/api/auth/register", body={
        "name": "Spec Runner", "email": "spec-runner@example.com", "password": "correct horse"})
    token = owner["token"]
    steps = [{"kind": "connection_request", "delay_hours": 0},
             {"kind": "message", "delay_hours": 48, "template": "Hi {{first_name}}"}]
    campaigns = [call(base, "POST", "/api/campaigns", token,
                      {"name": f"Campaign {i}", "sequence": steps})["id"] for i in range(3)]
    leads = [call(base, "POST", "/api/leads", token,
                  {"campaign_id": campaigns[0], "name": f"Lead {i}", "email": f"lead{i}@example.com"})["id"]
             for i in range(3)]
    tokens = [call(base, "POST", "/api/tokens", token, {"name": "integration", "role": "member"})["id"]]
    invitations = [call(base, "POST", "/api/workspace/invitations", token,
                        {"email": f"invitee{i}@example.com", "role": "member"}) for i in range(2)]
    # An invitation is for its e-mail: the member registers with the one it was sent to.
    member = call(base, "POST", "/api/auth/register", body={
        "name": "Spec Member", "email": invitations[1]["email"], "password": "correct horse",
        "invitation": invitations[1]["token"]})

    # A public address literal: no DNS needed, and what is delivered to it doesn't matter.
    webhooks = [call(base, "POST", "/api/webhooks", token,
                     {"url": f"https://93.184.215.14/hook{i}"})["id"] for i in range(2)]

    dictionaries = {
        "campaigns": campaigns[:2],
        "doomed_campaigns": campaigns[2:],
        "leads": leads[:2],
        "doomed_leads": leads[2:],
        "tokens": tokens,
        "webhooks": webhooks[:1],
        "doomed_webhooks": webhooks[1:],
        "invitations": [invitations[0]["id"]],
        "members": [member["user"]["id"]],
        "workspaces": [owner["workspace"]["id"]],
        "emails": ["spec-runner@example.com"],
        "passwords": ["correct horse"],
        "invitation_tokens": [invitations[0]["token"]],
    }
    # operation ids → {parameter: dictionary}
    bindings = {
        ("get_campaign", "put_campaign", "patch_campaign", "get_sequence", "put_sequence",
         "import_leads"): {"path.id": "campaigns"},
        ("delete_campaign",): {"path.id": "doomed_campaigns"},
        ("get_lead", "put_lead", "patch_lead"): {"path.id": "leads"},
        ("delete_lead",): {"path.id": "doomed_leads"},
        ("revoke_token",): {"path.id": "tokens"},
        ("get_webhook", "update_webhook", "rotate_webhook_secret", "list_webhook_deliveries",
         "replay_webhook"): {"path.id": "webhooks"},
        ("delete_webhook",): {"path.id": "doomed_webhooks"},
        ("delete_invitation",): {"path.id": "invitations"},
        ("patch_member", "delete_member"): {"path.user_id": "members"},
        ("list_leads",): {"query.campaign_id": "campaigns"},
        ("list_activities",): {"query.campaign_id": "campaigns", "query.lead_id": "leads"},
        ("create_lead",): {"body.campaign_id": "campaigns"},
        ("switch",): {"body.workspace_id": "workspaces"},
        ("login",): {"body.email": "emails", "body.password": "passwords", "body.workspace_id": "workspaces"},
        ("accept_invitation",): {"body.token": "invitation_tokens"},
    }
    with open(config_in) as f:
        config = f.read()
    out = [config, "\n# Appended by tests/spec/fixtures.py: the ids of this run's fixtures.\n"]
    for name, values in dictionaries.items():
        out.append(f"[dictionaries.{name}]\nvalues = {toml_list(values)}\n\n")
    for ops, params in bindings.items():
        out.append(f"[[operations]]\ninclude-operation-id = {toml_list(list(ops))}\n")
        for param, dictionary in params.items():
            out.append(f'parameters."{param}" = {{ dictionary = "{dictionary}", probability = 0.5 }}\n')
        out.append("\n")
    with open(config_out, "w") as f:
        f.write("".join(out))
    now = int(time.time())
    print(minted(os.environ["JWT_SECRET"], {
        "sub": owner["user"]["id"], "ws": owner["workspace"]["id"], "role": "owner",
        "iat": now, "exp": now + 4 * 3600}))


if __name__ == "__main__":
    main()
