//! Frames for the decoder: a central crop of the video (where the user aims), scaled down,
//! drawn into one reused canvas.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, ImageBitmap, ImageData};

/// The decoder sees at most this many pixels on the longer side. Chosen by measurement
/// (`scripts/bench-browser`, BENCHMARKS.md): at 640 the camera loop reads as many label
/// frames at the first frame as at 960 or 1024, in two thirds of the time.
pub const MAX_SIDE: f64 = 640.0;
/// The share of the video, centred, that is decoded.
pub const CROP: f64 = 0.8;

pub struct Grabber {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
}

impl Grabber {
    pub fn new() -> Option<Grabber> {
        let canvas: HtmlCanvasElement = web_sys::window()?
            .document()?
            .create_element("canvas")
            .ok()?
            .dyn_into()
            .ok()?;
        let ctx = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(Grabber { canvas, ctx })
    }

    fn draw(
        &self,
        (sw, sh): (f64, f64),
        crop: f64,
        max_side: f64,
        draw: impl Fn(&Self, f64, f64, f64, f64, f64, f64),
    ) -> Option<ImageData> {
        if sw < 1.0 || sh < 1.0 {
            return None;
        }
        let (cw, ch) = (sw * crop, sh * crop);
        let scale = (max_side / cw.max(ch)).min(1.0);
        let (dw, dh) = ((cw * scale).round().max(1.0), (ch * scale).round().max(1.0));
        if self.canvas.width() != dw as u32 || self.canvas.height() != dh as u32 {
            self.canvas.set_width(dw as u32);
            self.canvas.set_height(dh as u32);
        }
        draw(self, (sw - cw) / 2.0, (sh - ch) / 2.0, cw, ch, dw, dh);
        self.ctx.get_image_data(0.0, 0.0, dw, dh).ok()
    }

    /// The current video frame, or `None` before the video has any.
    pub fn from_video(&self, video: &HtmlVideoElement) -> Option<ImageData> {
        let size = (f64::from(video.video_width()), f64::from(video.video_height()));
        self.draw(size, CROP, MAX_SIDE, |g, sx, sy, sw, sh, dw, dh| {
            let _ = g
                .ctx
                .draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                    video, sx, sy, sw, sh, 0.0, 0.0, dw, dh,
                );
        })
    }

    /// A whole photo, scaled so that its longer side is at most `max_side`.
    pub fn from_bitmap(&self, bitmap: &ImageBitmap, max_side: f64) -> Option<ImageData> {
        let size = (f64::from(bitmap.width()), f64::from(bitmap.height()));
        self.draw(size, 1.0, max_side, |g, sx, sy, sw, sh, dw, dh| {
            let _ = g
                .ctx
                .draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                    bitmap, sx, sy, sw, sh, 0.0, 0.0, dw, dh,
                );
        })
    }
}
