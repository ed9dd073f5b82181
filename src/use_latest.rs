//! `use_latest`: a cell holding this render's value, for closures made once (the decoder
//! worker's message handler) that must call the current callback, not the first one.

use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[hook]
pub fn use_latest<T: Clone + 'static>(value: &T) -> Rc<RefCell<T>> {
    let cell = use_mut_ref(|| value.clone());
    *cell.borrow_mut() = value.clone();
    cell
}
