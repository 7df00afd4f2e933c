//! The page model every printed document is built from: pages of positioned text, lines,
//! rectangles and QR codes, in millimetres from the top-left corner of the sheet, plus the
//! measuring and line breaking of text with the bundled fonts. Pure: no PDF, no SQL, no files.
//!
//! Over 600 lines only with its tests (the code ends before them, near line 518).

use crate::fonts::Face;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Points per millimetre (1 pt = 1/72 in).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres per point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// Which faces a piece of text is drawn with: the first face with the character wins, the
/// others stand in for rare characters (CJK Extension B names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// Noto Serif SC Regular, then LXGW WenKai.
    Serif,
    /// Noto Serif SC Bold, then LXGW WenKai.
    SerifBold,
    /// Noto Sans SC Regular, then LXGW WenKai (tables).
    Sans,
}

impl Style {
    /// Bold text: a character its first face lacks is emboldened where it is drawn.
    pub fn is_bold(self) -> bool {
        self == Style::SerifBold
    }

    pub fn faces(self) -> &'static [Face] {
        match self {
            Style::Serif => &[Face::Serif, Face::Fallback],
            Style::SerifBold => &[Face::SerifBold, Face::Fallback],
            Style::Sans => &[Face::Sans, Face::Fallback],
        }
    }
}

/// A colour as red, green, blue in 0..=255.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0, 0, 0);
    /// The deep red of certificate borders and titles.
    pub const SEAL_RED: Color = Color(170, 24, 30);
    pub const GOLD: Color = Color(184, 142, 60);
    pub const GRAY: Color = Color(128, 128, 128);
    pub const LIGHT_GRAY: Color = Color(200, 200, 200);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One line of text. `(x, y)` is the anchor on the baseline: the left end, the middle or the
/// right end depending on `align`.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub x: f32,
    pub y: f32,
    /// Font size in points.
    pub size: f32,
    pub style: Style,
    pub align: Align,
    /// Extra space after every character but the last, in millimetres (justification,
    /// spaced-out titles).
    pub spacing: f32,
    /// Counter-clockwise rotation about the anchor, in degrees.
    pub rotate: f32,
    pub color: Color,
    pub text: String,
}

impl Text {
    pub fn new(x: f32, y: f32, size: f32, style: Style, text: impl Into<String>) -> Text {
        Text {
            x,
            y,
            size,
            style,
            align: Align::Left,
            spacing: 0.0,
            rotate: 0.0,
            color: Color::BLACK,
            text: text.into(),
        }
    }

    pub fn align(mut self, align: Align) -> Text {
        self.align = align;
        self
    }

    pub fn spacing(mut self, spacing: f32) -> Text {
        self.spacing = spacing;
        self
    }

    pub fn color(mut self, color: Color) -> Text {
        self.color = color;
        self
    }

    pub fn rotate(mut self, degrees: f32) -> Text {
        self.rotate = degrees;
        self
    }
}

/// One thing drawn on a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Text(Text),
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Color,
    },
    /// A rectangle: stroked with `width` when `width > 0`, else filled.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        color: Color,
    },
    /// A QR code `size` millimetres square (quiet zone included) with its top-left at `(x, y)`.
    Qr {
        x: f32,
        y: f32,
        size: f32,
        code: QrMatrix,
    },
    /// A block shared by many pages (a border, a watermark): drawn once per document.
    Form(usize),
    /// Draws a text with reduced opacity (0.0..=1.0), e.g. the 样张 watermark.
    Faint {
        opacity: f32,
        text: Text,
    },
}

impl Item {
    /// The same item moved by `(dx, dy)` millimetres.
    pub fn translated(&self, dx: f32, dy: f32) -> Item {
        let mut item = self.clone();
        match &mut item {
            Item::Text(t) | Item::Faint { text: t, .. } => {
                t.x += dx;
                t.y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Item::Rect { x, y, .. } | Item::Qr { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Form(_) => {}
        }
        item
    }
}

/// The dark modules of a QR code, row by row, with a 4-module quiet zone around them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side, quiet zone included.
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    const QUIET: usize = 4;

    /// Encodes `payload` at error correction level M (upper-case letters, digits, space and
    /// `$%*+-./:` pack densest). The mask is fixed (pattern 0) rather than chosen by the
    /// penalty rules: decoders read any mask, and scoring all eight is by far the slowest part
    /// of printing a thousand certificates.
    pub fn encode(payload: &str) -> Option<QrMatrix> {
        use qrcode::canvas::{Canvas, MaskPattern};
        let level = qrcode::EcLevel::M;
        let bits = qrcode::bits::encode_auto(payload.as_bytes(), level).ok()?;
        let version = bits.version();
        let (data, ec) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
        let mut canvas = Canvas::new(version, level);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        canvas.apply_mask(MaskPattern::Checkerboard);
        let colors = canvas.into_colors();
        let inner = usize::try_from(version.width()).ok()?;
        let width = inner + 2 * Self::QUIET;
        let mut dark = vec![false; width * width];
        for (i, color) in colors.iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (row, col) = (i / inner, i % inner);
                dark[(row + Self::QUIET) * width + col + Self::QUIET] = true;
            }
        }
        Some(QrMatrix { width, dark })
    }

    pub fn is_dark(&self, row: usize, col: usize) -> bool {
        self.dark
            .get(row * self.width + col)
            .copied()
            .unwrap_or(false)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A document: pages of one size plus the shared blocks they place.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    /// Sheet width and height in millimetres.
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Page>,
    pub forms: Vec<Vec<Item>>,
    form_keys: HashMap<String, usize>,
}

impl Document {
    pub fn new(title: impl Into<String>, width: f32, height: f32) -> Document {
        Document {
            title: title.into(),
            width,
            height,
            pages: Vec::new(),
            forms: Vec::new(),
            form_keys: HashMap::new(),
        }
    }

    /// The shared block named `key`, built by `build` the first time it is asked for.
    pub fn shared(&mut self, key: &str, build: impl FnOnce() -> Vec<Item>) -> Item {
        if let Some(&index) = self.form_keys.get(key) {
            return Item::Form(index);
        }
        let index = self.forms.len();
        self.forms.push(build());
        self.form_keys.insert(key.to_string(), index);
        Item::Form(index)
    }

    /// Every text on the pages and in the shared blocks, in order.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.forms
            .iter()
            .chain(self.pages.iter().map(|p| &p.items))
            .flat_map(|items| items.iter())
            .filter_map(|item| match item {
                Item::Text(t) | Item::Faint { text: t, .. } => Some(t),
                _ => None,
            })
    }
}

/// One glyph as drawn: the face it comes from, its glyph id and its advance in em.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    pub face: Face,
    pub id: u16,
    pub advance: f32,
}

/// The bundled faces, parsed once per process.
pub struct Fonts {
    faces: Vec<(Face, Option<ttf_parser::Face<'static>>)>,
}

impl Fonts {
    /// The process-wide parsed faces.
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts {
            faces: Face::ALL
                .iter()
                .map(|&face| (face, ttf_parser::Face::parse(face.bytes(), 0).ok()))
                .collect(),
        })
    }

    pub fn face(&self, face: Face) -> Option<&ttf_parser::Face<'static>> {
        self.faces
            .iter()
            .find(|(f, _)| *f == face)
            .and_then(|(_, parsed)| parsed.as_ref())
    }

    /// The glyph of `c` in `face`, if it has one.
    pub fn glyph_in(&self, face: Face, c: char) -> Option<Glyph> {
        let parsed = self.face(face)?;
        let id = parsed.glyph_index(c).filter(|id| id.0 != 0)?;
        let units = f32::from(parsed.units_per_em().max(1));
        let advance = f32::from(parsed.glyph_hor_advance(id).unwrap_or(0)) / units;
        Some(Glyph {
            face,
            id: id.0,
            advance,
        })
    }
}

/// Looks glyphs up with a cache: a batch of certificates asks for the same few hundred
/// characters many thousand times.
pub struct Measure {
    fonts: &'static Fonts,
    cache: HashMap<(Style, char), Option<Glyph>>,
}

impl Default for Measure {
    fn default() -> Self {
        Measure::new()
    }
}

impl Measure {
    pub fn new() -> Measure {
        Measure {
            fonts: Fonts::get(),
            cache: HashMap::new(),
        }
    }

    pub fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// The glyph `c` is drawn with in `style`: the first of the style's faces that has it.
    /// Control characters have none; whitespace a face lacks is drawn as a space.
    pub fn glyph(&mut self, style: Style, c: char) -> Option<Glyph> {
        if let Some(found) = self.cache.get(&(style, c)) {
            return *found;
        }
        let fonts = self.fonts;
        let found = if c.is_control() {
            None
        } else {
            let lookup = |c: char| {
                style
                    .faces()
                    .iter()
                    .find_map(|&face| fonts.glyph_in(face, c))
            };
            lookup(c).or_else(|| if c.is_whitespace() { lookup(' ') } else { None })
        };
        self.cache.insert((style, c), found);
        found
    }

    /// Advance of one character in em; a character without a glyph counts as 1 em.
    pub fn advance(&mut self, style: Style, c: char) -> f32 {
        if c.is_control() {
            return 0.0;
        }
        self.glyph(style, c).map_or(1.0, |g| g.advance)
    }

    /// The printed width of `text` in millimetres (character spacing between characters only).
    pub fn width(&mut self, text: &str, style: Style, size: f32, spacing: f32) -> f32 {
        let mut em = 0.0;
        let mut count = 0usize;
        for c in text.chars().filter(|c| !c.is_control()) {
            em += self.advance(style, c);
            count += 1;
        }
        em * size * MM_PER_PT + spacing * count.saturating_sub(1) as f32
    }

    /// The width of a whole text item.
    pub fn text_width(&mut self, text: &Text) -> f32 {
        self.width(&text.text, text.style, text.size, text.spacing)
    }

    /// The largest size not above `size` at which `text` fits in `width` millimetres.
    pub fn fit_size(&mut self, text: &str, style: Style, size: f32, width: f32) -> f32 {
        let natural = self.width(text, style, size, 0.0);
        if natural <= width || natural <= 0.0 {
            size
        } else {
            size * width / natural
        }
    }
}

/// Characters that may not start a line (closing punctuation).
const NO_LINE_START: &str = "，。、：；！？）》」』”’〉】…·%,.;:!?)]";
/// Characters that may not end a line (opening punctuation).
const NO_LINE_END: &str = "（《「『“‘〈【([";

/// Splits text into the pieces a line may break between: a run of ASCII letters and digits
/// stays whole, opening punctuation sticks to what follows and closing punctuation to what
/// precedes.
fn break_units(text: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut glue_next = false;
    for c in text.chars() {
        let joins_previous = match units.last() {
            None => false,
            Some(last) => {
                glue_next
                    || NO_LINE_START.contains(c)
                    || (c.is_ascii_alphanumeric()
                        && last
                            .chars()
                            .last()
                            .is_some_and(|p| p.is_ascii_alphanumeric()))
            }
        };
        match units.last_mut() {
            Some(last) if joins_previous => last.push(c),
            _ => units.push(c.to_string()),
        }
        glue_next = NO_LINE_END.contains(c);
    }
    units
}

/// One line of a wrapped paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: String,
    /// Natural width in millimetres, without justification.
    pub width: f32,
}

/// Breaks `text` into lines no wider than `width` millimetres; the first line is indented by
/// `indent` millimetres (which counts against its width).
pub fn wrap(
    measure: &mut Measure,
    text: &str,
    style: Style,
    size: f32,
    width: f32,
    indent: f32,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_width = 0.0;
    let mut available = width - indent;
    for unit in break_units(text) {
        let unit_width = measure.width(&unit, style, size, 0.0);
        if !current.is_empty() && current_width + unit_width > available + 0.01 {
            lines.push(Line {
                text: std::mem::take(&mut current),
                width: current_width,
            });
            current_width = 0.0;
            available = width;
        }
        current.push_str(&unit);
        current_width += unit_width;
    }
    if !current.is_empty() {
        lines.push(Line {
            text: current,
            width: current_width,
        });
    }
    lines
}

/// Lays out a justified paragraph: every line but the last is spread to the full width.
/// `(x, y)` is the left end of the first baseline. Returns the texts and the baseline after
/// the last line.
#[allow(clippy::too_many_arguments)]
pub fn paragraph(
    measure: &mut Measure,
    text: &str,
    style: Style,
    size: f32,
    x: f32,
    y: f32,
    width: f32,
    indent: f32,
    line_height: f32,
) -> (Vec<Text>, f32) {
    let lines = wrap(measure, text, style, size, width, indent);
    let count = lines.len();
    let mut texts = Vec::with_capacity(count);
    let mut baseline = y;
    for (i, line) in lines.into_iter().enumerate() {
        let line_indent = if i == 0 { indent } else { 0.0 };
        let chars = line.text.chars().count();
        let slack = width - line_indent - line.width;
        let spacing = if i + 1 < count && chars > 1 && slack > 0.0 {
            slack / (chars - 1) as f32
        } else {
            0.0
        };
        texts.push(Text::new(x + line_indent, baseline, size, style, line.text).spacing(spacing));
        baseline += line_height;
    }
    (texts, baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_are_one_em_and_digits_narrower() {
        let mut m = Measure::new();
        assert!((m.advance(Style::Serif, '证') - 1.0).abs() < 0.01);
        assert!(m.advance(Style::Serif, '1') < 0.7);
        let width = m.width("荣誉证书", Style::SerifBold, 36.0, 0.0);
        assert!((width - 4.0 * 36.0 * MM_PER_PT).abs() < 0.2, "{width}");
    }

    #[test]
    fn extension_b_character_comes_from_the_fallback_face() {
        let mut m = Measure::new();
        let glyph = m.glyph(Style::Serif, '\u{201D4}');
        assert_eq!(glyph.map(|g| g.face), Some(Face::Fallback));
        assert_eq!(m.glyph(Style::Serif, '\u{E000}'), None);
        assert_eq!(
            m.glyph(Style::Serif, '张').map(|g| g.face),
            Some(Face::Serif)
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line_and_numbers_stay_whole() {
        assert_eq!(
            break_units("在2023年“电商”中。"),
            vec!["在", "2023", "年", "“电", "商”", "中。"]
        );
        let mut m = Measure::new();
        let size = 12.0;
        let em = size * MM_PER_PT;
        // Four characters fit; the fifth is a full stop, which goes down with the fourth.
        let lines = wrap(&mut m, "一二三四。五", Style::Serif, size, 4.0 * em, 0.0);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["一二三", "四。五"]);
    }

    #[test]
    fn paragraph_lines_are_justified_except_the_last() {
        let mut m = Measure::new();
        let size = 12.0;
        let em = size * MM_PER_PT;
        let text = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
        let (texts, next) = paragraph(
            &mut m,
            text,
            Style::Serif,
            size,
            10.0,
            20.0,
            10.5 * em,
            2.0 * em,
            8.0,
        );
        assert_eq!(texts.len(), 3);
        assert!((texts[0].x - (10.0 + 2.0 * em)).abs() < 0.01);
        for t in &texts[..2] {
            let right = t.x + m.text_width(t);
            assert!(
                (right - (10.0 + 10.5 * em)).abs() < 0.05,
                "line ends at {right}"
            );
        }
        assert_eq!(texts[2].spacing, 0.0);
        assert_eq!(texts[1].y, 28.0);
        assert_eq!(next, 44.0);
    }

    #[test]
    fn shared_blocks_are_built_once() {
        let mut doc = Document::new("t", 100.0, 100.0);
        let a = doc.shared("border", || {
            vec![Item::Rect {
                x: 1.0,
                y: 1.0,
                w: 2.0,
                h: 2.0,
                width: 0.5,
                color: Color::BLACK,
            }]
        });
        let b = doc.shared("border", Vec::new);
        assert_eq!(a, b);
        assert_eq!(doc.forms.len(), 1);
    }

    #[test]
    fn qr_matrix_has_a_quiet_zone() {
        let qr = QrMatrix::encode("JDC1:2023-DS-ZG-1-001").unwrap_or_else(|| panic!("encodes"));
        assert_eq!(
            (qr.width - 8 - 17) % 4,
            0,
            "a QR symbol is 17 + 4·version modules wide, plus the quiet zone"
        );
        assert!(!qr.is_dark(0, 0) && !qr.is_dark(3, 3));
        assert!(qr.is_dark(4, 4), "finder pattern corner");
    }
}
