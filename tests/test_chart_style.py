"""Chart titles short enough to stay clear of the toolbar on a phone, with room for every line."""

from __future__ import annotations

from emotion.chart_style import TITLE_CHARACTERS, TITLE_LINE_PX, chart_layout
from emotion.labels import EMOTIONS
from emotion_app.charts import probability_bars, reliability_figure


def test_long_titles_are_wrapped_and_short_ones_kept() -> None:
    title = "How often each emotion is recognised (FER2013 faces it never saw)"
    lines = chart_layout(title)["title"]["text"].split("<br>")
    assert len(lines) == 2 and all(len(line) <= TITLE_CHARACTERS for line in lines)
    assert " ".join(lines) == title
    assert chart_layout("Winning emotion")["title"]["text"] == "Winning emotion"


def test_the_top_margin_makes_room_for_every_title_line() -> None:
    one = chart_layout("Winning emotion")["margin"]["t"]
    two = chart_layout("How often each emotion is recognised (FER2013 faces it never saw)")
    assert two["margin"]["t"] == one + TITLE_LINE_PX
    assert two["title"]["yanchor"] == "top" and two["title"]["yref"] == "container"
    assert chart_layout("Winning emotion", l=10, b=5)["margin"] == {"t": one, "l": 10, "b": 5}


def test_every_chart_has_an_upright_toolbar_and_a_wrapped_title() -> None:
    figure = reliability_figure([], "Reliability of the voice model, one clip alone, all corpora")
    assert figure.layout.modebar.orientation == "v"
    assert all(len(line) <= TITLE_CHARACTERS for line in figure.layout.title.text.split("<br>"))
    bars = probability_bars(dict.fromkeys(EMOTIONS, 1 / 7), "Face 1: anger 14%")
    assert bars.layout.margin.l == 10 and bars.layout.margin.t == chart_layout("x")["margin"]["t"]
