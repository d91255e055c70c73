"""Council page HTML -> PDF links: the rules of kkr_tui.sync.discover on small pages."""

from __future__ import annotations

from kkr_tui.sync.discover import kind_of, meeting_block, parse_page, title_from_url

PAGE = "https://www.kl.dk/politik/kkr/kkr-sjaelland/moedemateriale"


def _page(body: str) -> str:
    footer = "<footer><a href='/media/1/privat.pdf'>PDF</a></footer>"
    return f"<html><body><main>{body}</main>{footer}</body></html>"


def test_links_are_grouped_by_the_meeting_block_they_follow() -> None:
    html = _page(
        "<h2>Mødemateriale 2024</h2>"
        "<div><p>KKR Sjælland holdt møde den 17. april 2024 kl. 9.30 – 12.30</p>"
        "<ul><li>Sundhed</li></ul><p>Herunder ses dagsorden, referat og bilag.</p>"
        "<a href='/media/r5sjuvs2/dagsorden.pdf'>"
        "PDF / Dagsorden KKR Sjælland 17. april 2024.pdf</a>"
        "<a href='https://www.kl.dk/media/47543/referat.pdf?format=noformat'>PDF Referat</a></div>"
        "<div><p>KKR Sjælland holder møde den <b>12. juni 2024</b></p>"
        "<a href='../../../media/abc/bilag-3-1.pdf#side2'>PDF</a></div>"
    )
    found = parse_page(html, PAGE)
    urls = [link.url for link in found.links]
    assert urls == [
        "https://www.kl.dk/media/r5sjuvs2/dagsorden.pdf",
        "https://www.kl.dk/media/47543/referat.pdf?format=noformat",
        "https://www.kl.dk/media/abc/bilag-3-1.pdf",
        "https://www.kl.dk/media/1/privat.pdf",
    ]
    blocks = [link.block.key if link.block else None for link in found.links]
    assert blocks == ["2024-04-17", "2024-04-17", "2024-06-12", None]
    assert [link.kind for link in found.links] == ["document", "document", "bilag", "other"]
    assert found.links[0].title == "Dagsorden KKR Sjælland 17. april 2024"
    assert found.links[1].title == "Referat"
    # Link text only "PDF": the file name gives the title.
    assert found.links[2].title == "bilag 3 1"


def test_other_hosts_are_counted_never_returned() -> None:
    html = _page(
        "<p>KKR Sjælland holder møde den 1. maj 2025</p>"
        "<a href='https://evil.example/media/x/dagsorden.pdf'>PDF</a>"
        "<a href='//cdn.example.org/a.pdf'>PDF</a>"
        "<a href='/media/ok/dagsorden.pdf'>PDF</a>"
    )
    found = parse_page(html, PAGE)
    assert [link.url for link in found.links][:1] == ["https://www.kl.dk/media/ok/dagsorden.pdf"]
    assert found.other_hosts == 2


def test_a_heading_closes_the_block_and_links_before_any_block_are_other() -> None:
    html = _page(
        "<p><a href='/media/0/forretningsorden.pdf'>Forretningsorden (PDF)</a></p>"
        "<p>KKR Sjælland holder møde den 3. marts 2025</p><a href='/media/1/dagsorden.pdf'>x</a>"
        "<h2>Om KKR</h2><a href='/media/2/politik.pdf'>Politik</a>"
    )
    kinds = [(link.title, link.kind) for link in parse_page(html, PAGE).links]
    assert kinds[:3] == [
        ("Forretningsorden (PDF)", "other"),
        ("x", "document"),
        ("Politik", "other"),
    ]


def test_the_same_url_twice_is_one_link_and_non_pdfs_are_ignored() -> None:
    html = _page(
        "<p>KKR Sjælland holder møde den 3. marts 2025</p>"
        "<a href='/media/1/dagsorden.pdf'>PDF</a><a href='/media/1/dagsorden.pdf'>Dagsorden</a>"
        "<a href='/media/1/dagsorden.docx'>Word</a><a href='mailto:kkr@kl.dk'>Mail</a><a>tom</a>"
    )
    links = parse_page(html, PAGE).links
    assert [link.url for link in links] == [
        "https://www.kl.dk/media/1/dagsorden.pdf",
        "https://www.kl.dk/media/1/privat.pdf",
    ]


def test_helpers() -> None:
    assert meeting_block("KKR Hovedstaden holdt mødet d. 3.2.2025", None) is not None
    assert meeting_block("Mødedatoer: Onsdag den 18. juni", None) is None
    block = meeting_block("KKR Nordjylland holder møde den 2. september 2025 i Aalborg", None)
    assert block is not None and block.key == "2025-09-02" and block.year == 2025
    assert kind_of("Bilag 3.1 Referat fra SSU", "/x.pdf") == "bilag"
    assert kind_of("PDF", "/media/1/Referat-KKR.pdf") == "document"
    assert title_from_url("https://x/media/1/Dagsorden%20KKR_juni.PDF") == "Dagsorden KKR juni"
