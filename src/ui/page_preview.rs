//! Draws one page of the print model (`print::layout::Document`) in the window, scaled to fit:
//! a white sheet with a shadow, millimetres turned into points, texts in the faces the PDF
//! uses (see `fonts::SERIF`), rotated texts, faint watermarks, lines, rectangles, QR codes and
//! the shared blocks the page places. No PDF is rasterised: the preview is the same model the
//! PDF writer reads.

use super::fonts;
use crate::print::layout::{Align, Color, Document, Item, MM_PER_PT, QrMatrix, Style, Text};
use egui::epaint::TextShape;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontFamily, FontId, Painter, Pos2, Rect, Stroke, StrokeKind, Ui, Vec2};

/// Space kept around the sheet, in points.
const MARGIN: f32 = 16.0;
/// Shared blocks may place shared blocks; deeper nesting than this is not drawn.
const MAX_FORM_DEPTH: usize = 4;

/// The egui family drawing a print style.
pub fn family(style: Style) -> FontFamily {
    match style {
        Style::Serif => FontFamily::Name(fonts::SERIF.into()),
        Style::SerifBold => FontFamily::Name(fonts::SERIF_BOLD.into()),
        Style::Sans => FontFamily::Proportional,
    }
}

fn color(c: Color) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// The sheet's rectangle: `doc` scaled to fit `area` (less a margin), centred.
pub fn sheet_rect(doc: &Document, area: Rect) -> Rect {
    let room = (area.size() - Vec2::splat(2.0 * MARGIN)).max(Vec2::splat(1.0));
    let (w, h) = (doc.width.max(1.0), doc.height.max(1.0));
    let scale = (room.x / w).min(room.y / h);
    Rect::from_center_size(area.center(), Vec2::new(w * scale, h * scale))
}

/// Draws page `page` of `doc` into all the space left in `ui`.
pub fn show(ui: &mut Ui, doc: &Document, page: usize) -> egui::Response {
    let (area, response) = ui.allocate_exact_size(ui.available_size(), egui::Sense::hover());
    let sheet = sheet_rect(doc, area);
    let painter = ui.painter_at(area);
    let shadow = egui::epaint::Shadow {
        offset: [3, 5],
        blur: 14,
        spread: 0,
        color: Color32::from_black_alpha(70),
    };
    painter.add(shadow.as_shape(sheet, 0.0));
    painter.rect_filled(sheet, 0.0, Color32::WHITE);
    let page_view = PageView {
        painter: painter.with_clip_rect(sheet.intersect(area)),
        origin: sheet.min,
        scale: sheet.width() / doc.width.max(1.0),
    };
    if let Some(page) = doc.pages.get(page) {
        page_view.items(doc, &page.items, 0);
    }
    response
}

/// A page being drawn: where the sheet's top-left corner is and how many points a millimetre is.
struct PageView {
    painter: Painter,
    origin: Pos2,
    scale: f32,
}

impl PageView {
    fn at(&self, x: f32, y: f32) -> Pos2 {
        self.origin + Vec2::new(x, y) * self.scale
    }

    fn items(&self, doc: &Document, items: &[Item], depth: usize) {
        for item in items {
            self.item(doc, item, depth);
        }
    }

    fn item(&self, doc: &Document, item: &Item, depth: usize) {
        match item {
            Item::Text(text) => self.text(text, 1.0),
            Item::Faint { opacity, text } => self.text(text, opacity.clamp(0.0, 1.0)),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color: c,
            } => {
                self.painter.line_segment(
                    [self.at(*x1, *y1), self.at(*x2, *y2)],
                    Stroke::new(width * self.scale, color(*c)),
                );
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                width,
                color: c,
            } => {
                let rect = Rect::from_min_max(self.at(*x, *y), self.at(x + w, y + h));
                if *width > 0.0 {
                    self.painter.rect_stroke(
                        rect,
                        0.0,
                        Stroke::new(width * self.scale, color(*c)),
                        StrokeKind::Middle,
                    );
                } else {
                    self.painter.rect_filled(rect, 0.0, color(*c));
                }
            }
            Item::Qr { x, y, size, code } => self.qr(*x, *y, *size, code),
            Item::Form(index) => {
                if depth < MAX_FORM_DEPTH
                    && let Some(form) = doc.forms.get(*index)
                {
                    self.items(doc, form, depth + 1);
                }
            }
        }
    }

    /// One line of text anchored on its baseline at `(x, y)`, turned counter-clockwise by
    /// `rotate` degrees about that anchor.
    fn text(&self, text: &Text, opacity: f32) {
        let size = text.size * MM_PER_PT * self.scale;
        if text.text.is_empty() || size.is_nan() || size < 0.5 {
            return;
        }
        let spacing = text.spacing * self.scale;
        let mut job = LayoutJob::single_section(
            text.text.clone(),
            TextFormat {
                font_id: FontId::new(size, family(text.style)),
                extra_letter_spacing: spacing,
                color: color(text.color),
                ..Default::default()
            },
        );
        job.wrap.max_width = f32::INFINITY;
        let galley = self.painter.layout_job(job);
        // The spacing after the last character is not part of the text's width.
        let width = (galley.size().x - spacing).max(0.0);
        let dx = match text.align {
            Align::Left => 0.0,
            Align::Center => width / 2.0,
            Align::Right => width,
        };
        let baseline = galley
            .rows
            .first()
            .and_then(|row| row.row.glyphs.first().map(|g| row.pos.y + g.pos.y))
            .unwrap_or(size * 0.88);
        let angle = -text.rotate.to_radians();
        let anchor = self.at(text.x, text.y);
        let corner = anchor + egui::emath::Rot2::from_angle(angle) * Vec2::new(-dx, -baseline);
        let shape = TextShape::new(corner, galley, color(text.color))
            .with_angle(angle)
            .with_opacity_factor(opacity);
        self.painter.add(shape);
    }

    /// A QR code `size` millimetres square: one rectangle per run of dark modules in a row.
    fn qr(&self, x: f32, y: f32, size: f32, code: &QrMatrix) {
        let n = code.width.max(1);
        let module = size / n as f32;
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !code.is_dark(row, col) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && code.is_dark(row, col) {
                    col += 1;
                }
                let top = y + row as f32 * module;
                let rect = Rect::from_min_max(
                    self.at(x + start as f32 * module, top),
                    self.at(x + col as f32 * module, top + module),
                );
                self.painter.rect_filled(rect, 0.0, Color32::BLACK);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_keeps_its_proportions_and_fits_the_area() {
        let doc = Document::new("t", 297.0, 210.0);
        let area = Rect::from_min_size(Pos2::ZERO, Vec2::new(700.0, 700.0));
        let sheet = sheet_rect(&doc, area);
        assert!((sheet.width() / sheet.height() - 297.0 / 210.0).abs() < 1e-3);
        assert!((sheet.width() - (700.0 - 2.0 * MARGIN)).abs() < 1e-3);
        assert!(area.contains_rect(sheet));
        let tall = Document::new("t", 210.0, 297.0);
        let sheet = sheet_rect(&tall, area);
        assert!((sheet.height() - (700.0 - 2.0 * MARGIN)).abs() < 1e-3);
    }

    #[test]
    fn each_style_has_a_family_in_the_installed_fonts() {
        let defs = fonts::font_definitions();
        for style in [Style::Serif, Style::SerifBold, Style::Sans] {
            assert!(defs.families.contains_key(&family(style)), "{style:?}");
        }
    }
}
