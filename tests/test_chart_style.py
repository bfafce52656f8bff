"""Chart titles short enough to stay clear of the toolbar on a phone."""

from __future__ import annotations

from emotion.chart_style import TITLE_CHARACTERS, chart_title
from emotion_app.charts import reliability_figure


def test_long_titles_are_wrapped_and_short_ones_kept() -> None:
    title = "How often each emotion is recognised (FER2013 faces it never saw)"
    lines = chart_title(title)["text"].split("<br>")
    assert len(lines) == 2 and all(len(line) <= TITLE_CHARACTERS for line in lines)
    assert " ".join(lines) == title
    assert chart_title("Winning emotion")["text"] == "Winning emotion"


def test_every_chart_has_an_upright_toolbar_and_a_wrapped_title() -> None:
    figure = reliability_figure([], "Reliability of the voice model, one clip alone, all corpora")
    assert figure.layout.modebar.orientation == "v"
    assert all(len(line) <= TITLE_CHARACTERS for line in figure.layout.title.text.split("<br>"))
