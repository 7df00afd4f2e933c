//! The 荣誉证书 (competition-rules.md §8) as positioned text: the full design (border, title,
//! text, issuer, date, number, QR code), the 套打 overlay (the same text at the same places,
//! without border and title, moved by the printer's calibrated offset), the 样张 watermark of
//! drafts, paper presets and the calibration page. Pure: plain strings in, a `Document` out.
//!
//! One file over 600 lines: the certificate's layouts (full, overlay on pre-printed paper, the
//! calibration page) share one set of measurements and the name fitting.

use super::layout::{
    Align, Color, Document, Item, MM_PER_PT, Measure, Page, QrMatrix, Style, Text, paragraph,
};

/// Everything printed on one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub name: String,
    /// 同志 (职工组) or 同学 (学生组).
    pub salutation: String,
    pub body: String,
    pub issuer: String,
    /// In Chinese numerals: 二〇二三年十一月十五日.
    pub date: String,
    pub number: String,
    /// The QR code's text; `None` prints a placeholder (drafts are not signed).
    pub qr: Option<String>,
}

/// `在“江苏工匠”…竞赛“电子商务运营”赛项（职工组）中荣获一等奖。特发此证，以资鼓励。`
pub fn body_text(competition: &str, event: &str, group: &str, prize: &str) -> String {
    format!("在{competition}“{event}”赛项（{group}）中荣获{prize}。特发此证，以资鼓励。")
}

/// The label of the number line.
pub const NUMBER_LABEL: &str = "证书编号：";

impl Certificate {
    /// Each printed field with the style it is drawn in, for the glyph check.
    pub fn fields(&self) -> Vec<(&'static str, String, Style)> {
        vec![
            ("姓名", self.name.clone(), Style::SerifBold),
            ("称谓", format!("{}：", self.salutation), Style::Serif),
            ("正文", self.body.clone(), Style::Serif),
            ("落款", self.issuer.clone(), Style::Serif),
            ("日期", self.date.clone(), Style::Serif),
            (
                "编号",
                format!("{NUMBER_LABEL}{}", self.number),
                Style::Serif,
            ),
        ]
    }

    /// Every character no bundled face of its style can draw, with the field it is in.
    pub fn missing_glyphs(&self) -> Vec<(&'static str, char)> {
        self.fields()
            .into_iter()
            .flat_map(|(field, text, style)| {
                crate::fonts::missing_glyphs(&text, style.faces())
                    .into_iter()
                    .map(move |c| (field, c))
            })
            .collect()
    }
}

/// Sheet sizes: A4 and the common Chinese certificate stock (正度/大度 16开).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paper {
    A4Landscape,
    A4Portrait,
    /// 大度16开, 285 × 210 mm, landscape.
    Large16k,
    /// 正度16开, 260 × 185 mm, landscape.
    Standard16k,
}

impl Paper {
    pub const ALL: [Paper; 4] = [
        Paper::A4Landscape,
        Paper::A4Portrait,
        Paper::Large16k,
        Paper::Standard16k,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Paper::A4Landscape => "a4-landscape",
            Paper::A4Portrait => "a4-portrait",
            Paper::Large16k => "16k-large",
            Paper::Standard16k => "16k",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Paper::A4Landscape => "A4 横向（297×210 毫米）",
            Paper::A4Portrait => "A4 纵向（210×297 毫米）",
            Paper::Large16k => "大度16开 横向（285×210 毫米）",
            Paper::Standard16k => "正度16开 横向（260×185 毫米）",
        }
    }

    pub fn parse(text: &str) -> Option<Paper> {
        Paper::ALL
            .iter()
            .copied()
            .find(|p| p.code().eq_ignore_ascii_case(text.trim()))
    }

    /// Width and height in millimetres.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4Landscape => (297.0, 210.0),
            Paper::A4Portrait => (210.0, 297.0),
            Paper::Large16k => (285.0, 210.0),
            Paper::Standard16k => (260.0, 185.0),
        }
    }
}

/// Full design on blank paper, or only the text on pre-printed stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    Full,
    Overlay,
}

impl Layout {
    pub fn code(self) -> &'static str {
        match self {
            Layout::Full => "full",
            Layout::Overlay => "overlay",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Layout::Full => "完整版式",
            Layout::Overlay => "套打",
        }
    }
}

/// A printer's calibrated shift in millimetres: positive x moves right, positive y down.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Offset {
    pub x: f32,
    pub y: f32,
}

/// How a batch is printed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub paper: Paper,
    pub layout: Layout,
    /// Applied to the overlay layout and the calibration page; the full design is centred on
    /// blank paper and ignores it.
    pub offset: Offset,
    /// Prints the 样张 watermark.
    pub draft: bool,
}

/// Where everything goes on one sheet, in millimetres.
struct Geometry {
    width: f32,
    height: f32,
    scale: f32,
    title_y: f32,
    title_size: f32,
    left: f32,
    right: f32,
    salutation_y: f32,
    body_y: f32,
    body_size: f32,
    body_bottom: f32,
    issuer_y: f32,
    issuer_size: f32,
    qr: (f32, f32, f32),
    number_y: f32,
}

impl Geometry {
    fn of(paper: Paper) -> Geometry {
        let (width, height) = paper.size();
        if width >= height {
            // Designed on A4 landscape, scaled to the sheet.
            let (sx, sy) = (width / 297.0, height / 210.0);
            let scale = sx.min(sy);
            Geometry {
                width,
                height,
                scale,
                title_y: 50.0 * sy,
                title_size: 50.0 * scale,
                left: 38.0 * sx,
                right: width - 38.0 * sx,
                salutation_y: 76.0 * sy,
                body_y: 92.0 * sy,
                body_size: 18.0 * scale,
                body_bottom: 136.0 * sy,
                issuer_y: 154.0 * sy,
                issuer_size: 16.0 * scale,
                qr: (26.0 * sx, 143.0 * sy, 30.0 * scale),
                number_y: 183.0 * sy,
            }
        } else {
            let (sx, sy) = (width / 210.0, height / 297.0);
            let scale = sx.min(sy);
            Geometry {
                width,
                height,
                scale,
                title_y: 72.0 * sy,
                title_size: 46.0 * scale,
                left: 30.0 * sx,
                right: width - 30.0 * sx,
                salutation_y: 112.0 * sy,
                body_y: 130.0 * sy,
                body_size: 17.0 * scale,
                body_bottom: 196.0 * sy,
                issuer_y: 216.0 * sy,
                issuer_size: 15.0 * scale,
                qr: (24.0 * sx, 236.0 * sy, 30.0 * scale),
                number_y: 276.0 * sy,
            }
        }
    }
}

fn border(g: &Geometry) -> Vec<Item> {
    let mut items = Vec::new();
    let frame = |inset: f32, width: f32, color: Color| Item::Rect {
        x: inset,
        y: inset,
        w: g.width - 2.0 * inset,
        h: g.height - 2.0 * inset,
        width,
        color,
    };
    items.push(frame(9.0 * g.scale, 1.8 * g.scale, Color::SEAL_RED));
    items.push(frame(12.5 * g.scale, 0.5 * g.scale, Color::GOLD));
    items.push(frame(14.0 * g.scale, 0.2 * g.scale, Color::GOLD));
    // A gold square ornament in each corner, between the frames.
    let (inset, side) = (16.0 * g.scale, 7.0 * g.scale);
    for (x, y) in [
        (inset, inset),
        (g.width - inset - side, inset),
        (inset, g.height - inset - side),
        (g.width - inset - side, g.height - inset - side),
    ] {
        items.push(Item::Rect {
            x,
            y,
            w: side,
            h: side,
            width: 0.5 * g.scale,
            color: Color::SEAL_RED,
        });
        let pad = 1.8 * g.scale;
        items.push(Item::Rect {
            x: x + pad,
            y: y + pad,
            w: side - 2.0 * pad,
            h: side - 2.0 * pad,
            width: 0.0,
            color: Color::GOLD,
        });
    }
    // The title, spaced out by three quarters of a character.
    let em = g.title_size * MM_PER_PT;
    items.push(Item::Text(
        Text::new(
            g.width / 2.0,
            g.title_y,
            g.title_size,
            Style::SerifBold,
            "荣誉证书",
        )
        .align(Align::Center)
        .spacing(0.75 * em)
        .color(Color::SEAL_RED),
    ));
    items.push(Item::Line {
        x1: g.width / 2.0 - 3.2 * em,
        y1: g.title_y + 6.0 * g.scale,
        x2: g.width / 2.0 + 3.2 * em,
        y2: g.title_y + 6.0 * g.scale,
        width: 0.4 * g.scale,
        color: Color::GOLD,
    });
    items
}

fn watermark(g: &Geometry) -> Vec<Item> {
    let text = Text::new(
        g.width / 2.0,
        g.height / 2.0 + 20.0 * g.scale,
        150.0 * g.scale,
        Style::SerifBold,
        "样张",
    )
    .align(Align::Center)
    .spacing(20.0 * g.scale)
    .rotate(25.0)
    .color(Color::SEAL_RED);
    vec![Item::Faint {
        opacity: 0.18,
        text,
    }]
}

/// The body paragraph at the largest size (from the preset's down to 12 pt) that fits.
fn body(measure: &mut Measure, g: &Geometry, text: &str) -> Vec<Item> {
    let mut size = g.body_size;
    loop {
        let em = size * MM_PER_PT;
        let line_height = em * 1.75;
        let (texts, next) = paragraph(
            measure,
            text,
            Style::Serif,
            size,
            g.left,
            g.body_y,
            g.right - g.left,
            2.0 * em,
            line_height,
        );
        if next - line_height <= g.body_bottom || size <= 12.0 {
            return texts.into_iter().map(Item::Text).collect();
        }
        size -= 0.5;
    }
}

/// Issuer and date: the issuer right-aligned to the text column, the date centred under it.
fn signature_block(measure: &mut Measure, g: &Geometry, issuer: &str, date: &str) -> Vec<Item> {
    let size = measure.fit_size(
        issuer,
        Style::Serif,
        g.issuer_size,
        g.right - g.left - g.qr.2,
    );
    let issuer_width = measure.width(issuer, Style::Serif, size, 0.0);
    let centre = g.right - issuer_width / 2.0;
    let line = size * MM_PER_PT * 1.9;
    vec![
        Item::Text(Text::new(g.right, g.issuer_y, size, Style::Serif, issuer).align(Align::Right)),
        Item::Text(
            Text::new(centre, g.issuer_y + line, size, Style::Serif, date).align(Align::Center),
        ),
    ]
}

/// Encodes every certificate's QR code, on as many threads as the machine has cores.
fn encode_all(certificates: &[Certificate]) -> Vec<Option<QrMatrix>> {
    let encode = |part: &[Certificate]| {
        part.iter()
            .map(|c| c.qr.as_deref().and_then(QrMatrix::encode))
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || certificates.len() < 64 {
        return encode(certificates);
    }
    let chunk = certificates.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = certificates
            .chunks(chunk)
            .map(|part| scope.spawn(move || encode(part)))
            .collect();
        // A worker that panicked leaves its certificates without a code, like an encoding failure.
        workers
            .into_iter()
            .zip(certificates.chunks(chunk))
            .flat_map(|(w, part)| w.join().unwrap_or_else(|_| vec![None; part.len()]))
            .collect()
    })
}

fn qr_or_placeholder(g: &Geometry, code: Option<QrMatrix>) -> Vec<Item> {
    let (x, y, size) = g.qr;
    match code {
        Some(code) => vec![Item::Qr { x, y, size, code }],
        None => {
            let inner = size * 0.76;
            let (ix, iy) = (x + (size - inner) / 2.0, y + (size - inner) / 2.0);
            vec![
                Item::Rect {
                    x: ix,
                    y: iy,
                    w: inner,
                    h: inner,
                    width: 0.3,
                    color: Color::GRAY,
                },
                Item::Text(
                    Text::new(
                        x + size / 2.0,
                        y + size / 2.0 + 1.5,
                        10.0 * g.scale,
                        Style::Serif,
                        "样张",
                    )
                    .align(Align::Center)
                    .color(Color::GRAY),
                ),
            ]
        }
    }
}

/// Why a batch cannot be laid out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("证书 {0} 的二维码无法生成")]
    QrCode(String),
}

/// One page per certificate, in the given order.
pub fn document(
    certificates: &[Certificate],
    settings: &Settings,
) -> Result<Document, CertificateError> {
    let g = Geometry::of(settings.paper);
    let title = if settings.draft {
        "荣誉证书（样张）"
    } else {
        "荣誉证书"
    };
    let mut doc = Document::new(title, g.width, g.height);
    let mut measure = Measure::new();
    let offset = match settings.layout {
        Layout::Full => Offset::default(),
        Layout::Overlay => settings.offset,
    };
    let border = (settings.layout == Layout::Full).then(|| doc.shared("border", || border(&g)));
    let watermark = settings
        .draft
        .then(|| doc.shared("watermark", || watermark(&g)));
    for (certificate, code) in certificates.iter().zip(encode_all(certificates)) {
        if certificate.qr.is_some() && code.is_none() {
            return Err(CertificateError::QrCode(certificate.number.clone()));
        }
        let mut items: Vec<Item> = Vec::with_capacity(12);
        items.extend(border.clone());

        let name_size = 22.0 * g.scale;
        let name_width = measure.width(&certificate.name, Style::SerifBold, name_size, 0.0);
        items.push(Item::Text(Text::new(
            g.left,
            g.salutation_y,
            name_size,
            Style::SerifBold,
            certificate.name.clone(),
        )));
        items.push(Item::Text(Text::new(
            g.left + name_width + 2.0 * g.scale,
            g.salutation_y,
            g.body_size,
            Style::Serif,
            format!("{}：", certificate.salutation),
        )));
        let body_key = format!("body:{}", certificate.body);
        items.push(doc.shared(&body_key, || body(&mut measure, &g, &certificate.body)));
        let signature_key = format!("signature:{}:{}", certificate.issuer, certificate.date);
        items.push(doc.shared(&signature_key, || {
            signature_block(&mut measure, &g, &certificate.issuer, &certificate.date)
        }));
        items.extend(qr_or_placeholder(&g, code));
        items.push(Item::Text(Text::new(
            g.qr.0 + 2.0 * g.scale,
            g.number_y,
            10.0 * g.scale,
            Style::Serif,
            format!("{NUMBER_LABEL}{}", certificate.number),
        )));
        items.extend(watermark.clone());
        if offset != Offset::default() {
            items = items
                .iter()
                .map(|item| item.translated(offset.x, offset.y))
                .collect();
        }
        doc.pages.push(Page { items });
    }
    if offset != Offset::default() {
        for form in &mut doc.forms {
            *form = form
                .iter()
                .map(|item| item.translated(offset.x, offset.y))
                .collect();
        }
    }
    Ok(doc)
}

/// A calibration page: a millimetre grid, two centre scales to read after folding the sheet,
/// and crosses at known distances from the edges, all moved by `offset` like the overlay.
pub fn calibration_page(paper: Paper, offset: Offset, printer: &str) -> Document {
    let (width, height) = paper.size();
    let mut doc = Document::new("套打校准页", width, height);
    let mut items = Vec::new();
    let hair = |x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Color| Item::Line {
        x1,
        y1,
        x2,
        y2,
        width,
        color,
    };
    // The grid: every millimetre faint, every 5 mm grey, every 10 mm darker with labels.
    for mm in 0..=(width as i32) {
        let x = mm as f32;
        let (w, color) = if mm % 10 == 0 {
            (0.2, Color::GRAY)
        } else if mm % 5 == 0 {
            (0.12, Color::LIGHT_GRAY)
        } else {
            (0.05, Color::LIGHT_GRAY)
        };
        items.push(hair(x, 0.0, x, height, w, color));
        if mm % 10 == 0 && mm > 0 && (mm as f32) < width - 5.0 {
            items.push(Item::Text(
                Text::new(x, 9.0, 6.0, Style::Sans, mm.to_string())
                    .align(Align::Center)
                    .color(Color::GRAY),
            ));
        }
    }
    for mm in 0..=(height as i32) {
        let y = mm as f32;
        let (w, color) = if mm % 10 == 0 {
            (0.2, Color::GRAY)
        } else if mm % 5 == 0 {
            (0.12, Color::LIGHT_GRAY)
        } else {
            (0.05, Color::LIGHT_GRAY)
        };
        items.push(hair(0.0, y, width, y, w, color));
        if mm % 10 == 0 && mm > 10 && (mm as f32) < height - 5.0 {
            items.push(Item::Text(
                Text::new(7.0, y + 1.0, 6.0, Style::Sans, mm.to_string())
                    .align(Align::Center)
                    .color(Color::GRAY),
            ));
        }
    }
    // Centre scales, −15 … +15 mm, to read where the fold falls.
    let (cx, cy) = (width / 2.0, height / 2.0);
    let (scale_y, scale_x) = (cy - 30.0, cx + 40.0);
    for k in -15..=15 {
        let (kf, long) = (k as f32, k % 5 == 0);
        let tick = if long { 6.0 } else { 3.0 };
        let width = if k == 0 { 0.35 } else { 0.18 };
        items.push(hair(
            cx + kf,
            scale_y - tick,
            cx + kf,
            scale_y,
            width,
            Color::SEAL_RED,
        ));
        items.push(hair(
            scale_x,
            cy + kf,
            scale_x + tick,
            cy + kf,
            width,
            Color::SEAL_RED,
        ));
        if long {
            items.push(Item::Text(
                Text::new(cx + kf, scale_y - 7.5, 8.0, Style::Sans, k.to_string())
                    .align(Align::Center)
                    .color(Color::SEAL_RED),
            ));
            items.push(Item::Text(
                Text::new(
                    scale_x + 8.0,
                    cy + kf + 1.2,
                    8.0,
                    Style::Sans,
                    k.to_string(),
                )
                .color(Color::SEAL_RED),
            ));
        }
    }
    items.push(hair(
        cx - 15.0,
        scale_y,
        cx + 15.0,
        scale_y,
        0.2,
        Color::SEAL_RED,
    ));
    items.push(hair(
        scale_x,
        cy - 15.0,
        scale_x,
        cy + 15.0,
        0.2,
        Color::SEAL_RED,
    ));
    // Crosses 30 mm from the left and top edges and from the right and bottom edges.
    for (x, y) in [(30.0, 30.0), (width - 30.0, height - 30.0)] {
        items.push(hair(x - 6.0, y, x + 6.0, y, 0.3, Color::BLACK));
        items.push(hair(x, y - 6.0, x, y + 6.0, 0.3, Color::BLACK));
    }
    items.push(Item::Text(Text::new(
        37.0,
        36.0,
        8.0,
        Style::Sans,
        "此十字中心应距左边缘 30 毫米、距上边缘 30 毫米",
    )));
    items.push(Item::Text(
        Text::new(
            width - 37.0,
            height - 33.0,
            8.0,
            Style::Sans,
            "此十字中心应距右边缘 30 毫米、距下边缘 30 毫米",
        )
        .align(Align::Right),
    ));

    let lines = [
        format!("套打校准页　打印机：{printer}　纸张：{}　当前偏移：X {:+.1} 毫米，Y {:+.1} 毫米", paper.label(), offset.x, offset.y),
        "1. 用与证书纸同样大小的白纸，以“实际大小（100%）”打印本页，不要缩放。".to_string(),
        "2. 左右对折，折痕在红色横向刻度上的读数加上当前 X 偏移，即为新的 X 偏移；上下对折，折痕在红色纵向刻度上的读数加上当前 Y 偏移，即为新的 Y 偏移。".to_string(),
        "3. 也可用直尺量左上十字中心到纸张左边缘、上边缘的距离：新偏移 = 当前偏移 + 30 − 实测距离。".to_string(),
        "4. 保存新偏移后再打印本页核对，直到读数为 0。正数表示向右、向下移动。".to_string(),
    ];
    let mut measure = Measure::new();
    let top = cy + 24.0;
    let mut y = top + 4.0;
    let mut texts = Vec::new();
    for line in &lines {
        let (lines, next) = paragraph(
            &mut measure,
            line,
            Style::Sans,
            9.0,
            30.0,
            y,
            width - 60.0,
            0.0,
            5.5,
        );
        texts.extend(lines.into_iter().map(Item::Text));
        y = next + 1.0;
    }
    // A white ground so that the grid does not run through the instructions.
    items.push(Item::Rect {
        x: 27.0,
        y: top - 1.0,
        w: width - 54.0,
        h: y - top - 2.0,
        width: 0.0,
        color: Color(255, 255, 255),
    });
    items.extend(texts);
    items = items
        .iter()
        .map(|item| item.translated(offset.x, offset.y))
        .collect();
    doc.pages.push(Page { items });
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Certificate {
        Certificate {
            name: name.into(),
            salutation: "同志".into(),
            body: body_text(
                "“江苏工匠”岗位练兵职业技能竞赛暨2023年江苏省互联网行业电子商务技术应用职业技能竞赛",
                "电子商务运营",
                "职工组",
                "一等奖",
            ),
            issuer: "2023年江苏省互联网行业电子商务技术应用职业技能竞赛组委会".into(),
            date: "二〇二三年十一月十五日".into(),
            number: "2023-DS-ZG-1-001".into(),
            qr: Some("JDC1:2023-DS-ZG-1-001:ABC".into()),
        }
    }

    fn settings(paper: Paper, layout: Layout) -> Settings {
        Settings {
            paper,
            layout,
            offset: Offset::default(),
            draft: false,
        }
    }

    fn all_text(doc: &Document, page: usize) -> String {
        let mut texts: Vec<&str> = Vec::new();
        for item in &doc.pages[page].items {
            match item {
                Item::Text(t) => texts.push(&t.text),
                Item::Form(i) => texts.extend(doc.forms[*i].iter().filter_map(|f| match f {
                    Item::Text(t) => Some(t.text.as_str()),
                    _ => None,
                })),
                _ => {}
            }
        }
        texts.concat()
    }

    #[test]
    fn body_text_follows_the_rules_wording() {
        assert_eq!(
            body_text("X竞赛", "电子商务运营", "职工组", "一等奖"),
            "在X竞赛“电子商务运营”赛项（职工组）中荣获一等奖。特发此证，以资鼓励。"
        );
    }

    #[test]
    fn full_design_has_every_field_and_shares_the_border_and_paragraph() {
        let doc = document(
            &[sample("张三"), sample("李四")],
            &settings(Paper::A4Landscape, Layout::Full),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.pages.len(), 2);
        assert_eq!((doc.width, doc.height), (297.0, 210.0));
        let text = all_text(&doc, 1);
        for part in [
            "荣誉证书",
            "李四",
            "同志：",
            "荣获一等奖",
            "组委会",
            "二〇二三年十一月十五日",
            "证书编号：2023-DS-ZG-1-001",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
        assert_eq!(doc.forms.len(), 3, "border, paragraph, signature block");
        assert!(
            doc.pages[0]
                .items
                .iter()
                .any(|i| matches!(i, Item::Qr { .. }))
        );
    }

    #[test]
    fn every_line_stays_inside_the_text_column_on_every_paper() {
        let mut measure = Measure::new();
        for paper in Paper::ALL {
            let g = Geometry::of(paper);
            let doc = document(&[sample("欧阳䶮𠇔")], &settings(paper, Layout::Full))
                .unwrap_or_else(|e| panic!("{e}"));
            for t in doc.texts() {
                if t.text == "荣誉证书" {
                    continue;
                }
                let w = measure.text_width(t);
                let left = match t.align {
                    Align::Left => t.x,
                    Align::Center => t.x - w / 2.0,
                    Align::Right => t.x - w,
                };
                assert!(
                    left >= g.qr.0 - 0.01 && left + w <= g.right + 0.05,
                    "{paper:?}: {} from {left} to {}",
                    t.text,
                    left + w
                );
                assert!(t.y < g.height - 14.0, "{paper:?}: {} at {}", t.text, t.y);
            }
        }
    }

    #[test]
    fn overlay_has_no_border_or_title_and_is_moved_by_the_offset() {
        let plain = document(
            &[sample("张三")],
            &settings(Paper::A4Landscape, Layout::Overlay),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let moved = document(
            &[sample("张三")],
            &Settings {
                offset: Offset { x: 2.5, y: -1.5 },
                ..settings(Paper::A4Landscape, Layout::Overlay)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(!all_text(&plain, 0).contains("荣誉证书"));
        assert!(
            !plain.pages[0]
                .items
                .iter()
                .chain(plain.forms.iter().flatten())
                .any(|i| matches!(i, Item::Rect { .. }))
        );
        let name = |doc: &Document| match &doc.pages[0].items[0] {
            Item::Text(t) => (t.x, t.y),
            other => panic!("first item is {other:?}"),
        };
        let ((x0, y0), (x1, y1)) = (name(&plain), name(&moved));
        assert!((x1 - x0 - 2.5).abs() < 1e-4 && (y1 - y0 + 1.5).abs() < 1e-4);
        let qr = |doc: &Document| {
            doc.pages[0].items.iter().find_map(|i| {
                if let Item::Qr { x, y, .. } = i {
                    Some((*x, *y))
                } else {
                    None
                }
            })
        };
        let (Some((qx0, qy0)), Some((qx1, qy1))) = (qr(&plain), qr(&moved)) else {
            panic!("no QR")
        };
        assert!((qx1 - qx0 - 2.5).abs() < 1e-4 && (qy1 - qy0 + 1.5).abs() < 1e-4);
    }

    #[test]
    fn the_full_design_ignores_the_printer_offset() {
        let a = document(
            &[sample("张三")],
            &settings(Paper::A4Portrait, Layout::Full),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let b = document(
            &[sample("张三")],
            &Settings {
                offset: Offset { x: 3.0, y: 3.0 },
                ..settings(Paper::A4Portrait, Layout::Full)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
    }

    #[test]
    fn draft_has_a_watermark_and_no_qr_code() {
        let mut cert = sample("张三");
        cert.qr = None;
        let doc = document(
            &[cert],
            &Settings {
                draft: true,
                ..settings(Paper::A4Landscape, Layout::Full)
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            doc.forms
                .iter()
                .flatten()
                .any(|i| matches!(i, Item::Faint { text, .. } if text.text == "样张"))
        );
        assert!(
            !doc.pages[0]
                .items
                .iter()
                .any(|i| matches!(i, Item::Qr { .. }))
        );
    }

    #[test]
    fn missing_glyphs_name_the_field() {
        let mut cert = sample("张\u{E000}");
        assert_eq!(cert.missing_glyphs(), vec![("姓名", '\u{E000}')]);
        cert.name = "李𠇔".into();
        assert!(cert.missing_glyphs().is_empty());
    }

    #[test]
    fn calibration_page_moves_with_the_offset() {
        let plain = calibration_page(Paper::A4Landscape, Offset::default(), "默认");
        let moved = calibration_page(Paper::A4Landscape, Offset { x: 1.0, y: 2.0 }, "默认");
        assert_eq!(plain.pages.len(), 1);
        let first_line = |doc: &Document| match &doc.pages[0].items[0] {
            Item::Line { x1, y1, .. } => (*x1, *y1),
            other => panic!("{other:?}"),
        };
        assert_eq!(first_line(&plain), (0.0, 0.0));
        assert_eq!(first_line(&moved), (1.0, 2.0));
    }
}
