//! Lists test:///default through the `virt` crate and reports which libvirt.so.0 was mapped.
use virt::connect::Connect;

fn main() {
    let mapped = std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .find(|l| l.contains("libvirt.so"))
        .map(|l| l.split_whitespace().last().unwrap().to_string())
        .expect("libvirt mapped");
    println!("mapped {}", std::fs::canonicalize(mapped).unwrap().display());
    let conn = Connect::open(Some("test:///default")).expect("open");
    let doms = conn.list_all_domains(0).expect("list");
    for d in &doms {
        println!("domain {} {}", d.name().unwrap(), d.id().unwrap_or(u32::MAX));
    }
    match conn.list_all_domains(1 << 16) {
        Ok(_) => panic!("bad flags accepted"),
        Err(e) => println!("error {:?} {:?} {}", e.code(), e.domain(), e.message()),
    }
    drop(doms);
    drop(conn);
}
