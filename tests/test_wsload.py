"""The websocket load script reads the page as the browser does: widgets, page hash, exceptions."""

from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import wsload


def _element(fragment: str = "") -> ForwardMsg:
    message = ForwardMsg()
    message.delta.fragment_id = fragment
    return message


def test_finds_the_timeline_slider_with_its_fragment_and_the_party_pills() -> None:
    session = wsload.Session(0)
    slider = _element("frag-1")
    slider.delta.new_element.slider.id = "$$ID-abc-event"
    slider.delta.new_element.slider.options.extend(["1 Jan 2024 · A", "2 Feb 2024 · B"])
    slider.delta.new_element.slider.value.extend([1])
    pills = _element()
    group = pills.delta.new_element.button_group
    group.id = "$$ID-def-parties"
    for name in ("Russia", "Ukraine"):
        group.options.add().content = name
    group.default.extend([0, 1])
    for message in (slider, pills):
        wsload._read(session, message)

    found = session.widgets[wsload.SLIDER_KEY]
    assert (found.id, found.options, found.value, found.fragment) == (
        "$$ID-abc-event",
        ["1 Jan 2024 · A", "2 Feb 2024 · B"],
        [1],
        "frag-1",
    )
    assert session.widgets[wsload.PILLS_KEY].options == ["Russia", "Ukraine"]
    assert session.widgets[wsload.PILLS_KEY].value == [0, 1]


def test_an_exception_on_the_page_counts_as_an_error() -> None:
    session = wsload.Session(0)
    message = _element()
    message.delta.new_element.exception.message = "boom"
    wsload._read(session, message)
    assert session.errors == ["exception: boom"]


def test_percentile_of_an_empty_list_is_not_a_number() -> None:
    assert wsload._pct([], 0.95) != wsload._pct([], 0.95)  # NaN
    assert wsload._pct([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
