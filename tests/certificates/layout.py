"""Read what WeasyPrint lays out (text and positions in mm), without a PDF text extractor."""

from weasyprint import HTML

MM_PER_PX = 25.4 / 96


def render_pages(html: str):
    return HTML(string=html).render().pages


def walk(box):
    """Every box under this one, absolutely positioned ones included (``descendants()`` stops at them)."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from walk(child)


def page_text(page) -> str:
    return " ".join(box.text for box in walk(page._page_box) if getattr(box, "text", None))


def boxes_with_class(page, css_class: str):
    """Block boxes of the elements with this class."""
    found = []
    for box in walk(page._page_box):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if css_class in classes and type(box).__name__ in ("BlockBox", "AbsolutePlaceholder"):
            found.append(box)
    return found


def lines_of(box):
    return [b for b in walk(box) if type(b).__name__ == "LineBox"]


def mm_rect(box) -> tuple[float, float, float, float]:
    """left, top, right, bottom of the border box, in mm from the page's top-left corner."""
    left, top = box.border_box_x() * MM_PER_PX, box.border_box_y() * MM_PER_PX
    return left, top, left + box.border_width() * MM_PER_PX, top + box.border_height() * MM_PER_PX
