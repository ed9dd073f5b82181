pub mod demo_labels;
pub mod label_input;
pub mod stars;
pub mod verdict_view;
