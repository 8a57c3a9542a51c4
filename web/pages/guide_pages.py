"""How it works: the workflow and who may do what, generated from the machine itself."""
from flask import Blueprint, render_template

from web.diagram import workflow_svg
from workflow import kinds, machine

bp = Blueprint("guide", __name__)


@bp.route("/how-it-works")
def how_it_works():
    return render_template("guide/how_it_works.html", diagram=workflow_svg(), machine=machine.describe(),
                           kinds=kinds.KINDS)
