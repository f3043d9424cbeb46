//! Embeds the shipped default models when they exist (`models/default/`).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(whosaid_default_model)");
    println!("cargo::rustc-check-cfg=cfg(whosaid_default_attribution)");
    println!("cargo::rerun-if-changed=models/default/attribution.json");
    if std::path::Path::new("models/default/attribution.json").exists() {
        println!("cargo::rustc-cfg=whosaid_default_attribution");
    }
    println!("cargo::rerun-if-changed=models/default/stance.json");
    if std::path::Path::new("models/default/stance.json").exists() {
        println!("cargo::rustc-cfg=whosaid_default_model");
    }
}
