//! Printed documents. `layout` is the page model (positioned text, lines, QR codes in
//! millimetres) with text measuring and line breaking; `certificate` and `tables` turn plain
//! data into such pages (荣誉证书, the 公示 list, score sheets, rosters); `output` writes pages
//! as a PDF through printpdf, with fonts subset by allsorts; `tables` also writes workbooks.
//! Pure: no SQL, no egui, no files; `ops` gathers the data and writes the bytes.

pub mod certificate;
pub mod layout;
pub mod output;
pub mod tables;
