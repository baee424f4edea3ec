"""Inline images for the shell's QPlainTextEdit.

The shell is a QPlainTextEdit because its layout is per block and lazy: cutting thousands of lines off the
top or appending at the end costs only the blocks touched, where QTextEdit's layout repositions every block
of the document (about 12 ms per trim at 10,000 lines, 60 ms on a loaded machine). The price is that
QPlainTextEdit's layout has no handler for image objects (only QTextEdit's registers one), so an image
inserted with ``QTextCursor.insertImage`` would take no room and draw nothing. This handler sizes and draws
an image from the document's resources, as QTextEdit's does for the images the shell writes.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPainter, QPyTextObject, QTextDocument, QTextFormat


class ImageObject(QPyTextObject):
    """Draws ``QTextImageFormat`` objects whose ``name`` is an image resource of the document."""

    @staticmethod
    def install(doc: QTextDocument) -> ImageObject | None:
        """Register a handler on ``doc``'s layout unless it has one already (QTextEdit's layout does)."""
        layout = doc.documentLayout()
        kind = QTextFormat.ObjectTypes.ImageObject.value
        if layout.handlerForObject(kind) is not None:
            return None
        handler = ImageObject(layout)  # parented to the layout: lives as long as it
        layout.registerHandler(kind, handler)
        return handler

    @staticmethod
    def _image(doc: QTextDocument, fmt: QTextFormat) -> QImage | None:
        name = fmt.toImageFormat().name()
        image = doc.resource(QTextDocument.ResourceType.ImageResource.value, QUrl(name))
        return image if isinstance(image, QImage) and not image.isNull() else None

    def intrinsicSize(self, doc: QTextDocument, _pos: int, fmt: QTextFormat) -> QSizeF:
        image = self._image(doc, fmt)
        return QSizeF(image.size()) if image is not None else QSizeF(0, 0)

    def drawObject(
        self, painter: QPainter, rect: QRectF | QRect, doc: QTextDocument, _pos: int, fmt: QTextFormat
    ) -> None:
        image = self._image(doc, fmt)
        if image is not None:
            painter.drawImage(rect, image)
