//! The interactive reader.

pub mod action;
pub mod keymap;
pub mod theme;
