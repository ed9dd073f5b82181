pub mod demo_labels;
pub mod label_input;
pub mod lang_switch;
pub mod photo_input;
pub mod scanner;
pub mod stars;
pub mod verdict_view;
