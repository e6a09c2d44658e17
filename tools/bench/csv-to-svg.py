#!/usr/bin/env python3
"""Draws rmach-bench's CSV as an SVG bar chart (standard library only).

    csv-to-svg.py rmach-bench.csv rmach-bench.svg

One panel per figure: round-trip p50 and one-way rate at each size, each bar
the transport's ratio to the pipe pair of the same run and placement (the
dashed line at 1.0). Transports that did not run are listed as "n/a".
"""
import csv
import sys
from html import escape

PLACEMENT_COLOURS = {"same-cpu": "#3b6fb6", "cross-cpu": "#e08a2c"}
BAR_H, GAP, LABEL_W, PLOT_W, MARGIN = 12, 8, 130, 420, 20


def panels(rows):
    """(title, ratio column, rows) per figure, in the CSV's order."""
    out = {}
    for r in rows:
        if r["ports"] != "1" or r["senders"] != "1":
            continue  # scaling rows have no pipe peer
        if r["test"] == "round-trip":
            key = ("round trip p50, %s B: time / pipe (lower is faster)" % r["size"],
                   "p50_vs_pipe")
        else:
            key = ("one way %s B: messages/s / pipe (higher is faster)" % r["size"],
                   "rate_vs_pipe")
        out.setdefault(key, []).append(r)
    return [(title, col, rs) for (title, col), rs in out.items()]


def draw_panel(svg, y, title, column, rows):
    transports = list(dict.fromkeys(r["transport"] for r in rows))
    placements = list(dict.fromkeys(r["placement"] for r in rows))
    ratios = [float(r[column]) for r in rows if r[column]]
    top = max(ratios + [1.0]) * 1.15
    scale = PLOT_W / top
    svg.append('<text x="%d" y="%d" font-weight="bold">%s</text>' %
               (MARGIN, y + 14, escape(title)))
    y += 24
    plot_top = y
    for t in transports:
        svg.append('<text x="%d" y="%d" text-anchor="end">%s</text>' %
                   (MARGIN + LABEL_W - 6, y + BAR_H * len(placements) / 2 + 4, escape(t)))
        for p in placements:
            match = [r for r in rows if r["transport"] == t and r["placement"] == p]
            x0 = MARGIN + LABEL_W
            if match and match[0][column]:
                v = float(match[0][column])
                svg.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' %
                           (x0, y, v * scale, BAR_H - 2, PLACEMENT_COLOURS.get(p, "#888")))
                svg.append('<text x="%.1f" y="%d" font-size="10">%.2f</text>' %
                           (x0 + v * scale + 3, y + BAR_H - 3, v))
            else:
                why = match[0]["status"] if match else "not run"
                svg.append('<text x="%d" y="%d" font-size="10" fill="#888">n/a (%s)</text>' %
                           (x0 + 3, y + BAR_H - 3, escape(why)))
            y += BAR_H
        y += GAP
    one = MARGIN + LABEL_W + scale
    svg.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#000" '
               'stroke-dasharray="4 3"/>' % (one, plot_top - 4, one, y - GAP + 4))
    svg.append('<text x="%.1f" y="%d" font-size="10" text-anchor="middle">pipe = 1.0</text>'
               % (one, y + 8))
    return y + 24


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: csv-to-svg.py IN.csv OUT.svg")
    with open(sys.argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    body, y = [], MARGIN + 24
    for title, column, rs in panels(rows):
        y = draw_panel(body, y, title, column, rs)
    legend = " ".join(
        '<rect x="%d" y="%d" width="10" height="10" fill="%s"/>'
        '<text x="%d" y="%d">%s</text>' % (MARGIN + LABEL_W + i * 110, MARGIN, c,
                                           MARGIN + LABEL_W + i * 110 + 14, MARGIN + 9, p)
        for i, (p, c) in enumerate(PLACEMENT_COLOURS.items()))
    width = MARGIN * 2 + LABEL_W + PLOT_W + 60
    with open(sys.argv[2], "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
                'font-family="sans-serif" font-size="12">\n' % (width, y))
        f.write('<rect width="100%" height="100%" fill="#fff"/>\n')
        f.write('<text x="%d" y="%d" font-size="10">rmach-bench: ratios to the pipe pair, '
                'same run (TCG guest: absolute times distorted)</text>\n'
                % (MARGIN, y - 8))
        f.write(legend + "\n" + "\n".join(body) + "\n</svg>\n")


if __name__ == "__main__":
    main()
