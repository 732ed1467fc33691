"""An SVG drawing of the workflow table, rendered on the server.

The statuses sit on a circle in the order of Status; each allowed move is a
curved arrow. Arrows bend to their left, so the two directions between a
pair of statuses stay apart. The arrow's style says who may make the move:
the customer (also agents), agents only, or the system.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from tickets.models import Status
from tickets.workflow import TRANSITIONS, Actor

SIZE = 760
RADIUS = 290
BOX_WIDTH = 170
BOX_HEIGHT = 40
BEND = 0.12  # control-point offset as a share of the arrow's length


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def _positions() -> dict[Status, Point]:
    center = SIZE / 2
    statuses = list(Status)
    positions = {}
    for index, status in enumerate(statuses):
        angle = -math.pi / 2 + 2 * math.pi * index / len(statuses)
        positions[status] = Point(
            center + RADIUS * math.cos(angle), center + RADIUS * math.sin(angle)
        )
    return positions


def _box_exit(center: Point, towards: Point) -> Point:
    """Return where the line from a box's center towards a point leaves the box."""
    dx, dy = towards.x - center.x, towards.y - center.y
    scales = []
    if dx:
        scales.append((BOX_WIDTH / 2 + 4) / abs(dx))
    if dy:
        scales.append((BOX_HEIGHT / 2 + 4) / abs(dy))
    scale = min(scales) if scales else 0
    return Point(center.x + dx * scale, center.y + dy * scale)


def edge_kind(actors: frozenset[Actor]) -> str:
    """Return the arrow style of a move: the customer's, the system's or agents'."""
    if Actor.CUSTOMER in actors:
        return "customer"
    if Actor.SYSTEM in actors:
        return "system"
    return "agent"


def _edge_path(start: Point, end: Point) -> str:
    length = math.hypot(end.x - start.x, end.y - start.y)
    normal_x = (end.y - start.y) / length
    normal_y = -(end.x - start.x) / length
    control = Point(
        (start.x + end.x) / 2 + normal_x * BEND * length,
        (start.y + end.y) / 2 + normal_y * BEND * length,
    )
    begin = _box_exit(start, control)
    finish = _box_exit(end, control)
    return (
        f"M{begin.x:.1f},{begin.y:.1f} "
        f"Q{control.x:.1f},{control.y:.1f} {finish.x:.1f},{finish.y:.1f}"
    )


def workflow_svg() -> str:
    """Return the diagram as an inline <svg> element in the active language."""
    positions = _positions()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        'class="workflow-diagram" role="img" '
        'aria-labelledby="workflow-title workflow-desc">',
        f'<title id="workflow-title">{escape(_("Status workflow"))}</title>',
        '<desc id="workflow-desc">'
        + escape(
            _(
                "Each arrow is a status change the workflow allows. The table "
                "below lists the same changes as text."
            )
        )
        + "</desc>",
        "<defs>",
    ]
    for kind in ("customer", "agent", "system"):
        parts.append(
            f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" class="wf-arrow-{kind}"/></marker>'
        )
    parts.append("</defs>")

    # Agent-only arrows first, so the customer's and the system's arrows,
    # which matter most to readers, are drawn on top.
    edges = [
        (source, target, edge_kind(actors))
        for source, targets in TRANSITIONS.items()
        for target, actors in targets.items()
    ]
    order = {"agent": 0, "system": 1, "customer": 2}
    for source, target, kind in sorted(edges, key=lambda edge: order[edge[2]]):
        path = _edge_path(positions[source], positions[target])
        parts.append(
            f'<path d="{path}" class="wf-edge wf-edge-{kind}" '
            f'marker-end="url(#arrow-{kind})"/>'
        )

    for status, point in positions.items():
        parts.append(
            f'<g class="wf-node wf-node-{status.value}">'
            f'<rect x="{point.x - BOX_WIDTH / 2:.1f}" y="{point.y - BOX_HEIGHT / 2:.1f}" '
            f'width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="8"/>'
            f'<text x="{point.x:.1f}" y="{point.y + 5:.1f}" text-anchor="middle">'
            f"{escape(status.label)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
