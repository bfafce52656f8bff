"""End to end in a real headless Chromium (Debian's `chromium`, driven by Playwright): uploads,
the fusion slider, and the live page fed by a fake camera and microphone.

Set EMOTION_SCREENSHOTS=DIR to save a screenshot of each page there (`make screenshots` writes
the README's).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from app_server import running_app
from browser import (
    CHROMIUM,
    chromium,
    run_live_check,
    save_screenshot,
    set_slider,
    wait_for_app,
    wait_for_run_end,
)
from media import face_frame
from PIL import Image
from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason="Chromium is not installed (apt-get install chromium)"
)
ANGRY_CLIP = "ravdess/Actor_01/03-01-05-02-01-01-01.flac"
SCREENSHOTS = os.environ.get("EMOTION_SCREENSHOTS")
REQUESTS: list[str] = []  # every URL the browser asked for while the module's tests ran


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        save_screenshot(page, Path(SCREENSHOTS) / f"{name}.png")


@pytest.fixture(scope="module")
def app_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Page]]:
    log = tmp_path_factory.mktemp("browser") / "streamlit.log"
    with running_app(log) as base, chromium() as web:
        page = web.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda request: REQUESTS.append(request.url))
        yield base, page


def upload(page: Page, uploader: str, path: Path) -> None:
    box = page.get_by_test_id("stFileUploader").filter(has_text=uploader)
    box.locator("input[type=file]").set_input_files(str(path))


def headline(page: Page) -> str:
    return page.get_by_role("heading", name="Fused:").inner_text()


@contextmanager
def upload_screen(
    app_page: tuple[str, Page], width: int, height: int, path: str = "upload"
) -> Iterator[Page]:
    """A page of the app (the Upload page by default) in a new tab (a new session) of the
    given size."""
    base, page = app_page
    screen = page.context.browser.new_page(viewport={"width": width, "height": height})  # type: ignore[union-attr]
    try:
        wait_for_app(screen, f"{base}/{path}")
        yield screen
    finally:
        screen.close()


def assert_in_first_screen(element: Locator, height: int) -> None:
    box = element.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box


def test_upload_a_photo_and_a_clip_and_move_the_slider(
    app_page: tuple[str, Page], shared_data: Path, face_photo: np.ndarray, tmp_path: Path
) -> None:
    base, page = app_page
    photo = tmp_path / "face.jpg"
    Image.fromarray(face_frame(face_photo)).save(photo)
    wait_for_app(page, f"{base}/upload")
    upload(page, "Photo", photo)
    page.get_by_text("1 face found").wait_for(timeout=60_000)
    upload(page, "Audio clip", shared_data / ANGRY_CLIP)
    page.get_by_text("Geometric mean of face (50%) and voice (50%).").wait_for(timeout=60_000)
    assert page.locator("img").count() >= 1
    assert page.locator(".js-plotly-plot").count() == 3
    screenshot(page, "upload")
    set_slider(page, "Face weight", "End")
    page.get_by_text("Face only: the slider gives the other model no weight.").wait_for()
    assert headline(page).startswith("Fused: happy")
    set_slider(page, "Face weight", "Home")
    page.get_by_text("Voice only: the slider gives the other model no weight.").wait_for()
    assert headline(page).startswith("Fused: anger")


@pytest.mark.parametrize(
    ("width", "height", "name"), [(1366, 768, "upload_desktop"), (390, 844, "upload_phone")]
)
def test_the_verdict_and_the_slider_are_in_the_first_screen(
    app_page: tuple[str, Page],
    shared_data: Path,
    face_photo: np.ndarray,
    tmp_path: Path,
    width: int,
    height: int,
    name: str,
) -> None:
    photo = tmp_path / "face.jpg"
    Image.fromarray(face_frame(face_photo)).save(photo)
    with upload_screen(app_page, width, height) as screen:
        upload(screen, "Photo", photo)
        verdict = screen.get_by_role("heading", name="Fused:")
        # the photo's result first, as a person would see it: a second file chosen while the
        # page is redrawn for the first can be lost on a busy machine
        verdict.wait_for(timeout=60_000)
        upload(screen, "Audio clip", shared_data / ANGRY_CLIP)
        screen.get_by_text("Face and voice disagree").wait_for(timeout=60_000)
        slider = screen.get_by_role("slider", name="Face weight")
        for element in (verdict, slider):
            assert_in_first_screen(element, height)
        if SCREENSHOTS:
            screen.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))
        assert_toolbars_clear_of_titles(screen)


def assert_toolbars_clear_of_titles(page: Page) -> None:
    """No chart's toolbar (shown on hover) lies over the chart's title."""
    charts = page.locator(".js-plotly-plot")
    assert charts.count() > 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        if not chart.is_visible():  # in a tab not shown
            continue
        chart.scroll_into_view_if_needed()
        chart.hover()
        toolbar = chart.locator(".modebar").bounding_box()
        title = chart.locator(".gtitle").bounding_box()
        if toolbar is None or title is None:
            continue
        apart = (
            toolbar["x"] >= title["x"] + title["width"]
            or title["x"] >= toolbar["x"] + toolbar["width"]
            or toolbar["y"] >= title["y"] + title["height"]
            or title["y"] >= toolbar["y"] + toolbar["height"]
        )
        assert apart, (index, toolbar, title)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_live_page_shows_how_to_begin_and_the_face_weight_on_the_page(
    app_page: tuple[str, Page], width: int, height: int
) -> None:
    with upload_screen(app_page, width, height, "live_webcam") as screen:
        start = screen.get_by_text("to begin: the results appear here")
        start.wait_for(timeout=60_000)
        # on the page: a phone's sidebar is folded away
        screen.get_by_role("slider", name="Face weight").wait_for(timeout=60_000)
        assert screen.get_by_text("Frames processed").count() == 0
        if width > 1000:
            assert_in_first_screen(start, height)  # beside the video, not under it
        assert screen.get_by_test_id("stException").count() == 0


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_model_report_says_how_often_each_is_right_first(
    app_page: tuple[str, Page], width: int, height: int
) -> None:
    with upload_screen(app_page, width, height, "model_report") as screen:
        face = screen.get_by_test_id("stMetric").first
        face.wait_for(timeout=60_000)
        assert face.inner_text().startswith("Face")
        assert_in_first_screen(face, height)
        if width > 1000:  # all four side by side
            metrics = screen.get_by_test_id("stMetric")
            for index in range(4):
                assert_in_first_screen(metrics.nth(index), height)
        screen.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        assert_toolbars_clear_of_titles(screen)


def test_examples_run_with_one_click_each(app_page: tuple[str, Page]) -> None:
    with upload_screen(app_page, 390, 844) as screen:
        screen.get_by_role("button", name="Smiling astronaut (photo)").click()
        screen.get_by_text("1 face found").wait_for(timeout=60_000)
        screen.get_by_role("button", name="Shouted threat (voice)").click()
        verdict = screen.get_by_role("heading", name="Fused:")
        verdict.wait_for(timeout=60_000)
        screen.get_by_text("Face and voice disagree").wait_for(timeout=60_000)
        screen.mouse.wheel(0, -10_000)  # back to the top: the verdict is in the first screen
        screen.wait_for_timeout(500)
        assert_in_first_screen(verdict, 844)
        # the other voice example stays one click away
        assert screen.get_by_role("button", name="Calm announcement (voice)").count() == 1
        assert screen.get_by_test_id("stException").count() == 0


def test_settings_and_results_are_kept_across_pages(app_page: tuple[str, Page]) -> None:
    with upload_screen(app_page, 1366, 768) as screen:
        set_slider(screen, "Face weight", "End")
        screen.get_by_text("Face 100% · voice 0%").wait_for()
        screen.get_by_role("button", name="Smiling astronaut (photo)").click()
        screen.get_by_text("1 face found").wait_for(timeout=60_000)
        sidebar = screen.get_by_test_id("stSidebar")
        for label in ("Model report", "Live webcam"):
            sidebar.get_by_role("link", name=label).click()
            screen.get_by_role("heading", level=1, name=label).wait_for(timeout=60_000)
            wait_for_run_end(screen)
        # the camera's START is shown: the stream component has loaded and said it is stopped
        # (which reruns the page once)
        screen.frame_locator("iframe[title*=webrtc]").get_by_role("button", name="START").wait_for()
        wait_for_run_end(screen)
        sidebar.get_by_role("link", name="Upload").click()
        screen.get_by_text("Example astronaut.jpg").wait_for(timeout=60_000)
        screen.get_by_text("1 face found").wait_for(timeout=60_000)
        screen.get_by_text("Face 100% · voice 0%").wait_for()


def test_a_bad_upload_gets_a_message_and_the_page_keeps_working(
    app_page: tuple[str, Page], tmp_path: Path
) -> None:
    base, page = app_page
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"this is not a picture")
    wait_for_app(page, f"{base}/upload")
    upload(page, "Photo", broken)
    page.get_by_text("Nothing could be judged").wait_for(timeout=60_000)
    reason = page.get_by_text("could not be read as an image").first  # the headline's, on top
    reason.wait_for()
    box, screen = reason.bounding_box(), page.viewport_size
    assert box is not None and screen is not None and box["y"] < screen["height"]
    assert page.get_by_text("Download the results (JSON)").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    set_slider(page, "Face weight", "End")
    page.get_by_text("Face 100% · voice 0%").wait_for()


@pytest.mark.parametrize(("path", "name"), [("", "home"), ("model_report", "model_report")])
def test_pages_render_in_the_browser(app_page: tuple[str, Page], path: str, name: str) -> None:
    base, page = app_page
    wait_for_app(page, f"{base}/{path}")
    assert page.get_by_test_id("stException").count() == 0
    if name == "model_report":
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    screenshot(page, name)


@pytest.mark.parametrize(
    ("path", "heading"),
    [("upload", "Upload"), ("live_webcam", "Live webcam"), ("model_report", "Model report")],
)
def test_a_deep_link_opens_its_page_first(
    app_page: tuple[str, Page], path: str, heading: str
) -> None:
    base, page = app_page
    fresh = page.context.browser.new_page()  # type: ignore[union-attr]
    try:
        wait_for_app(fresh, f"{base}/{path}")
        assert fresh.get_by_role("heading", level=1).first.inner_text() == heading
        sidebar = fresh.get_by_test_id("stSidebar")
        for label in ("Home", "Upload", "Live webcam", "Model report"):
            sidebar.get_by_role("link", name=label).wait_for()  # exactly one, or it fails
        assert fresh.title() == f"{heading} · Emotion recognition"
    finally:
        fresh.close()


def test_the_live_page_pauses_while_its_tab_is_hidden(app_page: tuple[str, Page]) -> None:
    base, page = app_page
    wait_for_app(page, f"{base}/live_webcam")
    paused = page.get_by_text("Paused while this tab is hidden")
    assert paused.count() == 0
    reporter = page.frame_locator("iframe[title*=tab_visibility]").locator("body")
    for state in ("hidden", "visible"):
        reporter.evaluate(
            f"""() => {{
                Object.defineProperty(document, "visibilityState", {{
                    value: "{state}", configurable: true
                }});
                document.dispatchEvent(new Event("visibilitychange"));
            }}"""
        )
        if state == "hidden":
            paused.wait_for(timeout=30_000)
        else:
            paused.wait_for(state="detached", timeout=30_000)


def test_a_machine_without_a_camera_gets_told_what_to_do(app_page: tuple[str, Page]) -> None:
    base, page = app_page
    wait_for_app(page, f"{base}/live_webcam")
    stream = page.frame_locator("iframe[title*=webrtc]")
    stream.get_by_role("button", name="START").click()
    stream.get_by_text("NotFoundError").wait_for(timeout=30_000)  # this browser has no camera
    page.get_by_text("START shows an error, or no picture?").click()
    page.get_by_text("this computer has no camera").wait_for()
    assert page.get_by_test_id("stException").count() == 0


def test_every_request_stays_on_this_machine(app_page: tuple[str, Page]) -> None:
    base, page = app_page
    for path in ("", "upload", "live_webcam", "model_report"):
        wait_for_app(page, f"{base}/{path}")
    page.wait_for_timeout(2000)
    assert len(REQUESTS) > 20
    hosts = {
        urlsplit(url).hostname for url in REQUESTS if urlsplit(url).scheme in ("http", "https")
    }
    assert hosts == {"127.0.0.1"}, [url for url in REQUESTS if "127.0.0.1" not in url]


def private_network_possible() -> bool:
    probe = ["unshare", "-rn", "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"]
    return (
        bool(shutil.which("unshare")) and subprocess.run(probe, capture_output=True).returncode == 0
    )


@pytest.mark.skipif(
    not private_network_possible(),
    reason="needs `unshare -rn` and iproute2 for a private network namespace",
)
def test_live_page_with_a_fake_camera_and_microphone(
    shared_data: Path, face_photo: np.ndarray, tmp_path: Path
) -> None:
    shot = (
        ["--screenshot", str(Path(SCREENSHOTS).resolve() / "live_webcam.png")]
        if SCREENSHOTS
        else []
    )
    seen = run_live_check(face_photo, shared_data / ANGRY_CLIP, tmp_path, *shot)
    frames = [sample[0] for sample in seen["samples"]]
    assert frames[0] >= 250 and frames[-1] > frames[0]  # frames keep being processed
    assert seen["video"]["width"] == 640 and seen["video"]["height"] == 480
    assert seen["video"]["green"] > 1000  # boxes and labels drawn on the returned video
    assert seen["webrtc"]["sent"]["fps"] > 0
    voice = seen["voice"][0].split()[1]
    assert voice in ("anger", "disgust", "fear", "happy", "neutral", "sad", "surprise")
    face_only = seen["fused_face_only"]
    assert any(fused_label(line) == "happy" for line in face_only), face_only
    voice_only = seen["fused_voice_only"]
    (voice_line,) = [line for line in voice_only if line.startswith("Voice: ")]
    (fused_line,) = [line for line in voice_only if line.startswith("Fused: ")]
    assert fused_label(fused_line) == voice_line.split()[1]
    for name, box in seen["first_screen"].items():  # beside the video, not under it
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, (name, box)
    after = seen["after_stop"]  # nothing of the stopped stream left on screen
    assert not any(line.startswith(("Frames processed", "Voice: ", "Fused: ")) for line in after)


def fused_label(line: str) -> str | None:
    """The emotion a "Fused: ..." headline names, stated or unsure."""
    found = re.match(r"Fused: (?:unsure: perhaps )?(\w+)", line)
    return found.group(1) if found else None
