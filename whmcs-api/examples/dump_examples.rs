//! Writes every action's example answer to DIR as a fuzz seed: one file per action, the action's
//! index in `actions::ALL` as the first byte, then the JSON body.

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fuzz/corpus/decode_answer".into());
    std::fs::create_dir_all(&dir)?;
    for (i, info) in whmcs_api::actions::ALL.iter().enumerate() {
        let mut seed = vec![u8::try_from(i % 256).unwrap_or(0)];
        seed.extend_from_slice(info.example_response().unwrap_or("{}").as_bytes());
        std::fs::write(std::path::Path::new(&dir).join(info.name()), seed)?;
    }
    println!("wrote {} seeds to {dir}", whmcs_api::actions::ALL.len());
    Ok(())
}
