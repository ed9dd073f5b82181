//! A label's artwork for screens and quick prints: the one [layout](crate::layout) at the
//! print's default size, as SVG and as PNG. `issue` and `demo` write these; `print` draws the
//! same layout into PDFs (and SVG, with `--single`).

use crate::error::Result;
pub use crate::font::Fonts;
use crate::layout::{self, layout, min_width, LabelContent};
use labelcheck_core::key_list::KeyList;

/// A QR module in the PNG, in pixels: what a phone's camera reads at a glance on a screen.
const MODULE_PX: u32 = 6;

pub struct Artwork {
    pub svg: String,
    pub png: Vec<u8>,
}

/// The label of `qr_text` at the print's default width (wider when its code needs it).
pub fn render(qr_text: &str, keys: &KeyList, fonts: &Fonts) -> Result<Artwork> {
    render_content(&layout::content(qr_text, keys)?, fonts)
}

/// A label whose content is given rather than read from its code: the demo's, whose codes
/// are made to fail.
pub fn render_content(content: &LabelContent, fonts: &Fonts) -> Result<Artwork> {
    let width = layout::WIDTH.max(min_width(content.qr.width, layout::MIN_MODULE));
    let l = layout(content, width, layout::MIN_MODULE, fonts)?;
    Ok(Artwork {
        svg: crate::svg::svg(&l, fonts),
        png: crate::raster::png(&l, fonts, MODULE_PX)?,
    })
}
