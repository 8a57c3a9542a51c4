"""Administration: accounts, teams and settings. Only for the admin role, which has no sign-off power.

Thin: parse the form, call one service (role_change_service, account_service, team_service,
settings_service, people_service for what a page shows), render. The rules (the two-person
rule for powered roles, the refusal to let an administrator change their own roles or
training) live there. No form here takes a password: a new account or a reset gets a
one-time link for the person to set their own.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import (
    account_service,
    people_service,
    role_change_service,
    settings_service,
    sign_in_service,
    sign_in_setting_service,
    team_service,
    token_service,
)
from web import form_state, links
from web.auth import acting, page_user
from web.current import current_store, mail_queued, mail_settings
from workflow import sign_in_settings, strands
from workflow.errors import Forbidden, Invalid, NotFound, WorkflowError
from workflow.users import ROLE_WORDS, ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    """Every admin route, present and future, is guarded here rather than one by one."""
    if not page_user().has("admin"):
        raise Forbidden("Only administrators can manage accounts and teams.")


def _account_fields(form):
    """(roles, teams, trained) as posted; a new team typed in joins the ticked ones."""
    teams = form.getlist("team")
    new_team = (form.get("new_team") or "").strip()
    if new_team:
        teams.append(new_team)
    return form.getlist("role"), teams, (form.get("trained") or "").strip() or None


def _stored_values(record):
    return {"role": list(record["roles"]), "team": list(record["teams"]), "trained": [record.get("trained") or ""]}


def _user_page(f, record=None, error=None, status=200):
    template = "admin/edit_user.html" if record else "admin/new_user.html"
    return render_template(template, f=f, account=record, error=error, roles=ROLES,
                           **people_service.account_form(current_store(), record and record["name"])), status


def _link_given(name, secret, created, proposed=()):
    """The one time a sign-in link is shown (only its digest is stored); it is e-mailed
    too where the person has an address, the site sends mail and knows its own address."""
    link = links.absolute("auth.set_password", secret=secret)
    mailed = sign_in_service.mail_link(current_store(), name, link, *mail_settings(), mail_queued)
    return render_template("admin/link_given.html", name=name, link=link, created=created, mailed=mailed,
                           proposed=proposed)


@bp.route("/users")
def users():
    accounts, awaiting = people_service.accounts_overview(current_store())
    return render_template("admin/users.html", accounts=accounts, awaiting=awaiting)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    if request.method == "GET":
        return _user_page(form_state.FormState())
    name = (request.form.get("name") or "").strip()
    try:
        _, secret, proposed = role_change_service.create_account(current_store(), acting(), name,
                                                                 *_account_fields(request.form), *mail_settings())
    except WorkflowError as exc:
        return _user_page(form_state.FormState.posted(request.form, exc), error=exc, status=exc.status)
    if secret is None:  # local passwords are off: nothing to hand over
        flash(f"Added the account {name}. Local passwords are switched off, so {name} signs in through "
              "the identity provider; no link to set a password was made.")
        return redirect(url_for(".edit_user", name=name))
    return _link_given(name, secret, created=True, proposed=proposed)


@bp.route("/users/<name>", methods=["GET", "POST"])
def edit_user(name):
    record = account_service.account(current_store(), name)
    if request.method == "GET":
        return _user_page(form_state.FormState(_stored_values(record)), record)
    try:
        proposed = role_change_service.update_account(current_store(), acting(), name,
                                                      form_state.posted_version(request.form),
                                                      *_account_fields(request.form), *mail_settings())
    except NotFound:
        raise
    except WorkflowError as exc:
        return _user_page(form_state.FormState.posted(request.form, exc), record, exc, exc.status)
    flash(f"Saved the account {name}." + (f" The change of {', '.join(ROLE_WORDS[r] for r in proposed)} "
                                          "takes effect once it is confirmed (Role changes)." if proposed else ""))
    return redirect(url_for(".users"))


@bp.route("/users/<name>/password", methods=["POST"])
def reset_password(name):
    record = account_service.account(current_store(), name)
    try:
        secret = role_change_service.reset_password(current_store(), acting(), name, *mail_settings())
    except NotFound:
        raise
    except WorkflowError as exc:
        f = form_state.FormState.posted(request.form, exc)
        f.values = {**_stored_values(record), **f.values}  # the account form above stays as stored
        return _user_page(f, record, exc, exc.status)
    if secret is None:
        flash(f"{name} holds a role with power, so the reset awaits confirmation on Role changes; whoever "
              f"confirms it is given the new sign-in link to hand over. Nothing has changed yet.")
        return redirect(url_for(".edit_user", name=name))
    return _link_given(name, secret, created=False)


@bp.route("/users/<name>/active", methods=["POST"])
def set_active(name):
    active = request.form.get("active") == "yes"
    account_service.set_active(current_store(), acting(), name, active)
    flash(f"Account {name} " + ("reactivated." if active else "deactivated; its sessions and tokens no longer work."))
    return redirect(url_for(".edit_user", name=name))


@bp.route("/users/<name>/tokens/revoke", methods=["POST"])
def revoke_tokens(name):
    """Revoke every API token of an account (a lost laptop, a leaked script); sign-in is untouched."""
    count = token_service.revoke_all(current_store(), name, acting())
    flash(f"Revoked {count} API token{'s' if count != 1 else ''} of {name}." if count else f"{name} had no API tokens.")
    return redirect(url_for(".edit_user", name=name))


def _teams_page(f=None, error=None, status=200, failed=None):
    """`failed`: the team whose coordinator form was refused, so its row shows why."""
    teams, people = people_service.teams_overview(current_store())
    return render_template("admin/teams.html", teams=teams, f=f or form_state.FormState(), error=error, failed=failed,
                           people=people), status


@bp.route("/teams", methods=["GET", "POST"])
def teams():
    if request.method == "GET":
        return _teams_page()
    name = request.form.get("team") or ""
    try:
        team_service.keep_coordinator(current_store(), page_user(), name, request.form.get("coordinator"),
                                      request.form.get("phone"), request.form.get("email"),
                                      form_state.posted_version(request.form), acting())
    except WorkflowError as exc:
        return _teams_page(form_state.FormState.posted(request.form, exc), exc, exc.status, failed=name)
    flash(f"Saved the equality coordinator of {name}.")
    return redirect(url_for(".teams"))


@bp.route("/teams/new", methods=["POST"])
def add_team():
    try:
        stored = team_service.add_team(current_store(), request.form.get("name"), acting())
    except WorkflowError as exc:
        return _teams_page(form_state.FormState.posted(request.form, exc), exc, exc.status)
    flash(f"Added the team {stored['name']}; name its equality coordinator below.")
    return redirect(url_for(".teams"))


# The authority's rules and settings: one page, one form (and route) per setting.

def _settings_page(f=None, error=None, status=200):
    stored = settings_service.overview(current_store())
    chosen = stored["strand_set"]
    contact = settings_service.contact(current_store())
    shown = {"training_rule": ["on" if stored["training_rule"] else "off"], "strand_set": [chosen],
             **{name: [value] for name, value in contact.items()},
             **{f"name.{key}": [name] for key, name in settings_service.bodies(current_store()).items()}}
    if f is None:
        f = form_state.FormState(shown)
    else:  # the other form on the page keeps showing what is stored
        f.values = {**shown, **f.values}
    return render_template("admin/settings.html", f=f, error=error, training_rule=stored["training_rule_record"],
                           strand_set=strands.SETS[chosen],
                           strand_set_options={name: f"{s.title} ({s.listed()})" for name, s in strands.SETS.items()},
                           strand_set_version=stored["strand_set_version"],
                           contact_version=settings_service.contact_version(current_store()),
                           bodies=settings_service.bodies(current_store()),
                           bodies_version=settings_service.bodies_version(current_store())), status


@bp.route("/settings")
def settings_page():
    return _settings_page()


@bp.route("/settings/training-rule", methods=["POST"])
def save_training_rule():
    choice = request.form.get("training_rule")
    try:
        if choice not in ("on", "off"):
            raise Invalid("Choose whether the rule applies.",
                          {"training_rule": "Select whether the rule applies: on or off"})
        settings_service.set_training_rule(current_store(), choice == "on", acting(), form_state.posted_version(request.form))
    except WorkflowError as exc:
        return _settings_page(form_state.FormState.posted(request.form, exc), exc, exc.status)
    flash("The EqIA training rule is now " + ("on." if choice == "on" else "off: people without EqIA training "
                                              "on record may sign off and record Board decisions."))
    return redirect(url_for(".settings_page"))


@bp.route("/settings/strand-set", methods=["POST"])
def save_strand_set():
    """Choose the strand set new EqIAs are screened against; existing EqIAs keep theirs."""
    try:
        settings_service.set_strand_set(current_store(), request.form.get("strand_set"),
                                        form_state.posted_version(request.form), acting())
    except WorkflowError as exc:
        return _settings_page(form_state.FormState.posted(request.form, exc), exc, exc.status)
    flash(f"New EqIAs will be screened against {strands.SETS[request.form['strand_set']].title}. "
          "Existing EqIAs keep the set they were screened against.")
    return redirect(url_for(".settings_page"))


@bp.route("/settings/contact", methods=["POST"])
def save_contact():
    """The contact details the public is given on the contact page, the footer's pages and the statement."""
    form = request.form
    try:
        settings_service.set_contact(current_store(), form.get("unit"), form.get("address"), form.get("email"),
                                     form.get("phone"), form_state.posted_version(form), acting())
    except WorkflowError as exc:
        return _settings_page(form_state.FormState.posted(form, exc), exc, exc.status)
    flash("The contact details are saved: the contact page shows them now.")
    return redirect(url_for(".settings_page"))


@bp.route("/settings/bodies", methods=["POST"])
def save_bodies():
    """The bodies meetings belong to: each renamed, one added; none removed (meetings name them)."""
    form = request.form
    names = {key[len("name."):]: value for key, value in form.items() if key.startswith("name.")}
    try:
        settings_service.set_bodies(current_store(), names, form.get("added"), form_state.posted_version(form),
                                    acting())
    except WorkflowError as exc:
        return _settings_page(form_state.FormState.posted(form, exc), exc, exc.status)
    flash("The bodies are saved: meetings are arranged for them from now on.")
    return redirect(url_for(".settings_page"))


# How people sign in: local passwords and the break-glass administrator, and the identity provider.
# The client secret is write-only: the page says only whether one is set.

def _group_rows(form):
    """The group map's table as posted: [(group, team, role)] in row order."""
    numbers = sorted({int(key.split(".", 1)[1]) for key in form if key.startswith("group.")
                      and key.split(".", 1)[1].isdigit()})
    return [(form.get(f"group.{n}"), form.get(f"team.{n}"), form.get(f"role.{n}")) for n in numbers[:200]]


def _sign_in_shown():
    """What the two forms show as stored: the setting's choice, and the provider's fields but its secret."""
    passwords, stored = settings_service.local_passwords(current_store()), settings_service.oidc_stored(current_store())
    shown = {"local_passwords": ["on" if passwords["on"] else "off"], "break_glass": [passwords["break_glass"] or ""],
             **{field: [stored.get(field) or ""] for field in ("issuer", "client_id", "provider_name", "groups_claim")}}
    for number, (group, row) in enumerate((stored.get("group_map") or {}).items()):
        shown.update({f"group.{number}": [group], f"team.{number}": [row["team"]], f"role.{number}": [row["role"]]})
    return shown, passwords, stored


def _sign_in_page(f=None, error=None, status=200):
    shown, passwords, stored = _sign_in_shown()
    if f is None:
        f = form_state.FormState(shown)
    else:  # the other form on the page keeps showing what is stored
        f.values = {**shown, **f.values}
    rows = max((int(key.split(".", 1)[1]) + 1 for key in f.values if key.startswith("group.")), default=0) + 1
    admins = {r["name"]: r["name"] for r in account_service.active_people(current_store())
              if "admin" in r["roles"] and r.get("password_hash")}
    return render_template("admin/sign_in.html", f=f, error=error, passwords=passwords, stored=stored, admins=admins,
                           provider=settings_service.oidc_configuration(current_store()), rows=rows,
                           variables=sign_in_settings.PROVIDER_FIELDS,
                           teams={team: team for team in team_service.known_teams(current_store())},
                           redirect_uri=links.absolute("auth.sign_in") + "/oidc/callback",  # web.pages.oidc_pages answers there
                           mapped_roles=sign_in_settings.MAPPED_ROLES), status


@bp.route("/sign-in")
def sign_in_page():
    return _sign_in_page()


@bp.route("/sign-in/passwords", methods=["POST"])
def save_local_passwords():
    form = request.form
    try:
        saved = sign_in_setting_service.set_local_passwords(current_store(), page_user(), form.get("local_passwords"),
                                                            form.get("break_glass"), form_state.posted_version(form),
                                                            acting())
    except WorkflowError as exc:
        return _sign_in_page(form_state.FormState.posted(form, exc), exc, exc.status)
    flash("Local passwords are on: everyone may sign in with a password." if saved["value"] == "on" else
          f"Local passwords are off: everyone signs in through the identity provider, but {saved['break_glass']}, "
          "the break-glass administrator. Everyone else was signed out. API tokens keep working.")
    return redirect(url_for(".sign_in_page"))


@bp.route("/sign-in/provider", methods=["POST"])
def save_provider():
    form = request.form
    try:
        sign_in_setting_service.set_provider(current_store(), page_user(), form, _group_rows(form),
                                             form_state.posted_version(form), acting())
    except WorkflowError as exc:
        return _sign_in_page(form_state.FormState.posted(form, exc), exc, exc.status)
    flash("The identity provider's settings are saved.")
    return redirect(url_for(".sign_in_page"))
