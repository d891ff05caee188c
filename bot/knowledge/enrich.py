"""Curated knowledge that the documents do not state in one place: aliases, sectors, offices.

- ALIAS: the names people actually use for a standard (abbreviations, informal and misspelled
  forms: "SIP Bidan", "izin apotik", "PIRT"). Two standards share an alias only when they are the
  same service in two regions (PIRT in Balangan and OKI). An abbreviation that the document itself
  gives in the title wins over a common reading elsewhere (Balangan's "(TDUP)" is Tanda Daftar Usaha
  Perseorangan, so Tanda Daftar Usaha Pariwisata gets "TDUP pariwisata" instead).
- SEKTOR: one value of schema.SEKTOR per standard, for browsing by sector.
- WILAYAH: one office per region, every value copied from the region's own documents (letterhead,
  complaint channels, legal basis); nothing is looked up elsewhere or invented.

Keys are standard ids (`<wilayah>-<slug(nama)>`), which `bot.knowledge.build` derives from the titles;
a test checks that every id here exists and every parsed standard is covered.
"""

from __future__ import annotations

_PURWAKARTA_SUSU = (
    "purwakarta-sertifikat-standar-risiko-menengah-tinggi-kbli-10510-industri-pengolahan-susu-segar-dan-krim"
)

ALIAS: dict[str, list[str]] = {
    # --- Balangan: kesehatan (fasilitas) ---
    "balangan-pelayanan-pendampingan-perizinan-berusaha-online": [
        "pendampingan OSS",
        "bantuan OSS",
        "pendampingan perizinan online",
        "buat NIB",
        "daftar NIB",
        "bikin NIB",
        "Nomor Induk Berusaha",
    ],
    "balangan-izin-toko-alat-kesehatan": [
        "izin toko alkes",
        "toko alkes",
        "toko alat kesehatan",
        "izin alkes",
    ],
    "balangan-izin-mendirikan-rumah-sakit": [
        "izin mendirikan RS",
        "izin pendirian rumah sakit",
        "izin bangun rumah sakit",
    ],
    "balangan-izin-operasional-rumah-sakit": [
        "izin operasional RS",
        "izin rumah sakit",
    ],
    "balangan-izin-operasional-klinik": [
        "izin klinik",
        "izin buka klinik",
        "izin operasional klinik pratama",
    ],
    "balangan-izin-operasional-laboratorium-klinik-umum-dan-khusus": [
        "izin laboratorium klinik",
        "izin lab klinik",
        "izin laboratorium",
        "izin lab",
    ],
    "balangan-izin-apotek": ["apotek", "apotik", "izin apotik", "izin buka apotek", "izin buka apotik"],
    "balangan-izin-toko-obat": ["toko obat", "izin buka toko obat", "izin toko obat berizin"],
    "balangan-izin-penyelenggaraan-pengendalian-vektor-dan-binatang-pembawa-penyakit": [
        "pengendalian vektor",
        "izin pengendalian vektor",
        "pest control",
        "izin pest control",
        "izin pengendalian hama",
    ],
    "balangan-sertifikat-produksi-usaha-kecil-dan-mikro-obat-tradisional": [
        "UKOT",
        "UMOT",
        "izin UKOT",
        "izin UMOT",
        "izin obat tradisional",
        "izin jamu",
        "sertifikat produksi jamu",
    ],
    "balangan-sertifikat-produksi-perusahaan-rumah-tangga-prt-alat-kesehatan-dan-pkrt": [
        "PKRT",
        "izin PKRT",
        "sertifikat produksi PKRT",
        "sertifikat produksi alkes rumah tangga",
        "izin produksi alat kesehatan rumahan",
    ],
    # PIRT: the same service in Balangan and Ogan Komering Ilir.
    "balangan-sertifikat-produksi-pangan-industri-rumah-tangga": [
        "PIRT",
        "P-IRT",
        "SPP-IRT",
        "SPPIRT",
        "izin PIRT",
        "sertifikat PIRT",
        "izin pangan rumahan",
        "izin makanan rumahan",
        "izin produksi makanan rumahan",
    ],
    # --- Balangan: pertanian ---
    "balangan-izin-usaha-perkebunan": ["IUP perkebunan", "IUP-B", "izin kebun", "izin perkebunan"],
    "balangan-pendaftaran-usaha-perkebunan": [
        "STD-B",
        "STDB",
        "surat tanda daftar usaha perkebunan",
        "daftar usaha perkebunan",
        "daftar kebun",
    ],
    "balangan-izin-usaha-tanaman-pangan": [
        "IUP tanaman pangan",
        "izin tanaman pangan",
        "izin usaha pertanian pangan",
    ],
    "balangan-pendaftaran-usaha-tanaman-pangan": [
        "daftar usaha tanaman pangan",
        "tanda daftar usaha tanaman pangan",
    ],
    "balangan-izin-usaha-hortikultura": [
        "IUP hortikultura",
        "izin hortikultura",
        "izin usaha sayur dan buah",
    ],
    "balangan-pendaftaran-usaha-budidaya-hortikultura": [
        "daftar usaha hortikultura",
        "pendaftaran usaha hortikultura",
        "daftar budidaya hortikultura",
    ],
    "balangan-izin-usaha-peternakan": ["izin peternakan", "izin ternak", "izin usaha ternak", "izin kandang"],
    "balangan-pendaftaran-usaha-peternakan": [
        "daftar usaha peternakan",
        "tanda daftar peternakan",
        "daftar ternak",
    ],
    # --- Balangan: industri ---
    "balangan-izin-usaha-industri": ["IUI", "izin industri", "izin pabrik"],
    "balangan-izin-perluasan-usaha-industri": ["izin perluasan industri", "perluasan industri", "IPUI"],
    "balangan-izin-usaha-kawasan-industri": ["IUKI", "izin kawasan industri"],
    "balangan-izin-perluasan-kawasan-industri": ["perluasan kawasan industri", "IPKI"],
    # --- Balangan: koperasi ---
    "balangan-izin-koperasi-simpan-pinjam": [
        "izin KSP",
        "KSP",
        "izin koperasi",
        "izin usaha simpan pinjam",
        "izin simpan pinjam",
    ],
    "balangan-izin-pembukaan-kantor-cabang-koperasi-simpan-pinjam": [
        "izin cabang KSP",
        "izin kantor cabang KSP",
        "izin kantor cabang koperasi",
        "buka cabang koperasi",
    ],
    "balangan-izin-pembukaan-kantor-cabang-pembantu-koperasi-simpan-pinjam": [
        "izin cabang pembantu KSP",
        "izin kantor cabang pembantu koperasi",
        "izin capem koperasi",
    ],
    "balangan-izin-pembukaan-kantor-kas-koperasi-simpan-pinjam": [
        "izin kantor kas KSP",
        "izin kantor kas koperasi",
        "buka kantor kas koperasi",
    ],
    "balangan-izin-usaha-mikro-kecil-iumk": [
        "IUMK",
        "izin usaha mikro",
        "izin usaha kecil",
        "izin UMKM",
        "izin usaha mikro kecil",
        "izin UMK",
    ],
    # --- Balangan: pendidikan ---
    "balangan-izin-pendirian-satuan-pendidikan-formal-yang-diselenggarakan-oleh-masyarakat": [
        "izin pendirian sekolah",
        "izin sekolah swasta",
        "izin mendirikan sekolah",
        "izin pendirian sekolah swasta",
    ],
    "balangan-izin-penyelenggaraan-satuan-pendidikan-non-formal": [
        "izin PKBM",
        "izin kursus",
        "izin lembaga kursus",
        "izin LKP",
        "izin pendidikan non formal",
        "izin pendidikan nonformal",
        "izin bimbel",
    ],
    # --- Balangan: pariwisata, perdagangan ---
    "balangan-tanda-daftar-usaha-pariwisata": [
        "TDUP pariwisata",
        "izin pariwisata",
        "izin usaha pariwisata",
        "daftar usaha pariwisata",
        "izin usaha wisata",
    ],
    "balangan-surat-izin-usaha-perdagangan": [
        "SIUP",
        "izin usaha perdagangan",
        "izin dagang",
        "izin perdagangan",
    ],
    "balangan-surat-tanda-pendaftaran-waralaba": [
        "STPW",
        "izin waralaba",
        "daftar waralaba",
        "izin franchise",
    ],
    "balangan-tanda-daftar-gudang": ["TDG", "izin gudang", "daftar gudang"],
    "balangan-tanda-daftar-usaha-perseorangan-tdup": [
        "TDUP",
        "TDUP perseorangan",
        "tanda daftar usaha perorangan",
        "daftar usaha perorangan",
    ],
    # --- Balangan: konstruksi ---
    "balangan-izin-usaha-jasa-konstruksi-iujk": ["IUJK", "izin jasa konstruksi", "izin kontraktor"],
    "balangan-izin-mendirikan-bangunan-imb": [
        "IMB",
        "PBG",
        "IMB/PBG",
        "izin bangunan",
        "izin bangun rumah",
        "persetujuan bangunan gedung",
    ],
    "balangan-sertifikat-laik-fungsi": ["SLF", "sertifikat laik fungsi bangunan", "laik fungsi"],
    # --- Balangan: lingkungan ---
    "balangan-izin-pengelolaan-limbah-berbahaya-dan-beracun-limbah-b3-untuk-usaha-jasa": [
        "izin pengelolaan limbah B3",
        "izin jasa limbah B3",
        "izin jasa pengelolaan limbah B3",
    ],
    "balangan-izin-penyimpanan-limbah-berbahaya-dan-beracun-limbah-b3-untuk-penghasil": [
        "izin penyimpanan limbah B3",
        "izin TPS limbah B3",
        "izin simpan limbah B3",
    ],
    "balangan-izin-pembuangan-air-limbah": [
        "IPLC",
        "izin pembuangan limbah cair",
        "izin buang air limbah",
        "izin pembuangan limbah",
    ],
    "balangan-izin-lingkungan-ukl-upl-amdal": [
        "UKL-UPL",
        "UKL UPL",
        "UKL/UPL",
        "AMDAL",
        "izin lingkungan",
        "izin amdal",
        "izin UKL-UPL",
    ],
    "balangan-surat-pernyataan-kesanggupan-pengelolaan-dan-pemantauan-lingkungan-hidup-sppl": [
        "SPPL",
        "surat pernyataan lingkungan",
        "izin SPPL",
    ],
    # --- Balangan: tenaga kerja, perikanan, transportasi ---
    "balangan-izin-usaha-lembaga-penempatan-tenaga-kerja-swasta": [
        "LPTKS",
        "izin LPTKS",
        "izin penempatan tenaga kerja",
        "izin penyalur tenaga kerja",
        "izin agen tenaga kerja",
    ],
    "balangan-izin-lembaga-pelatihan-kerja-untuk-swasta": [
        "LPK",
        "izin LPK",
        "izin lembaga pelatihan kerja",
        "izin pelatihan kerja",
    ],
    "balangan-tanda-daftar-usaha-pengolahan-hasil-perikanan": [
        "TDU-PHP",
        "izin pengolahan ikan",
        "tanda daftar pengolahan hasil perikanan",
        "izin olahan ikan",
        "izin perikanan",
    ],
    "balangan-izin-penyelenggaraan-angkutan-orang-dalam-daerah": [
        "izin trayek",
        "izin angkutan",
        "izin angkot",
        "izin angkutan umum",
        "izin angkutan orang",
    ],
    "balangan-persetujuan-hasil-analisis-dampak-lalu-lintas": [
        "andalalin",
        "izin andalalin",
        "analisis dampak lalu lintas",
        "persetujuan andalalin",
    ],
    # --- Balangan: tata ruang ---
    "balangan-izin-lokasi": ["izin lokasi usaha", "ILOK"],
    "balangan-izin-reklame": [
        "reklame",
        "izin baliho",
        "izin papan reklame",
        "izin spanduk",
        "izin pasang iklan",
    ],
    "balangan-rekomendasi-kesesuaian-lahan-dan-ruang": [
        "rekomendasi tata ruang",
        "kesesuaian lahan",
        "rekomendasi kesesuaian ruang",
        "rekomendasi kesesuaian lahan",
    ],
    "balangan-izin-penyelenggaraan-sistem-penyediaan-air-minum": [
        "SPAM",
        "izin SPAM",
        "izin sistem penyediaan air minum",
        "izin penyediaan air minum",
    ],
    # --- Balangan: kesehatan (fasilitas dan tenaga kesehatan) ---
    "balangan-izin-operasional-puskesmas": ["izin puskesmas"],
    "balangan-izin-unit-transfusi-darah-tingkat-kabupaten": ["UTD", "izin UTD", "izin unit transfusi darah"],
    "balangan-izin-pelayanan-radiologi-diagnostik": [
        "izin radiologi",
        "izin rontgen",
        "izin pelayanan radiologi",
    ],
    "balangan-izin-optikal": ["izin optik", "izin toko kacamata", "optikal", "izin buka optik"],
    "balangan-surat-izin-praktik-perawat": [
        "SIPP",
        "SIP perawat",
        "izin praktek perawat",
        "izin praktik perawat",
        "izin perawat",
    ],
    "balangan-surat-izin-praktik-terapis-gigi-dan-mulut": [
        "SIPTGM",
        "SIP terapis gigi",
        "izin praktek terapis gigi",
        "izin praktik terapis gigi",
        "izin perawat gigi",
    ],
    "balangan-surat-izin-kerja-perawat-anestesi": [
        "SIKPA",
        "SIK perawat anestesi",
        "izin kerja perawat anestesi",
        "izin penata anestesi",
    ],
    "balangan-surat-izin-praktik-bidan": [
        "SIP Bidan",
        "SIPB",
        "izin praktik bidan",
        "izin praktek bidan",
        "ijin praktek bidan",
        "izin bidan",
    ],
    "balangan-surat-izin-praktik-apoteker": [
        "SIPA",
        "SIP apoteker",
        "izin praktek apoteker",
        "izin praktik apoteker",
        "izin apoteker",
    ],
    "balangan-surat-izin-praktik-tenaga-teknis-kefarmasian-sipttk": [
        "SIPTTK",
        "SIP TTK",
        "izin praktek TTK",
        "izin praktik tenaga teknis kefarmasian",
        "izin asisten apoteker",
    ],
    "balangan-izin-kerja-refraksionis-optisien-dan-optometris": [
        "SIKRO",
        "izin kerja refraksionis",
        "izin kerja optisien",
        "izin kerja optometris",
        "izin refraksionis optisien",
    ],
    "balangan-surat-izin-praktik-fisioterapis-sipf": [
        "SIPF",
        "SIP fisioterapis",
        "izin praktek fisioterapi",
        "izin praktik fisioterapis",
    ],
    "balangan-surat-izin-praktik-ahli-teknologi-laboratorium-medik-sip-atlm": [
        "SIP-ATLM",
        "SIP ATLM",
        "SIPATLM",
        "izin praktik ATLM",
        "izin praktek analis kesehatan",
        "izin analis lab",
    ],
    "balangan-surat-izin-kerja-perekam-medis-sik-perekam-medis": [
        "SIK perekam medis",
        "SIKPM",
        "izin kerja perekam medis",
        "izin perekam medis",
    ],
    "balangan-surat-izin-praktik-okupasi-terapis": [
        "SIPOT",
        "SIP okupasi terapis",
        "izin praktek okupasi terapi",
        "izin praktik okupasi terapis",
    ],
    "balangan-surat-izin-praktik-terapis-wicara": [
        "SIPTW",
        "SIP terapis wicara",
        "izin praktek terapi wicara",
        "izin praktik terapis wicara",
    ],
    "balangan-surat-izin-praktik-radiografer": [
        "SIPR",
        "SIP radiografer",
        "izin praktek radiografer",
        "izin praktik radiografer",
    ],
    "balangan-surat-izin-praktik-ortotis-prostetis": [
        "SIPOP",
        "SIP ortotis prostetis",
        "izin praktek ortotis prostetis",
        "izin praktik ortotis prostetis",
    ],
    "balangan-surat-izin-praktik-dokter": [
        "SIP dokter",
        "izin praktek dokter",
        "izin praktik dokter",
        "izin buka praktek dokter",
    ],
    "balangan-surat-izin-praktik-tenaga-gizi": [
        "SIPTGz",
        "SIP tenaga gizi",
        "SIP nutrisionis",
        "izin praktek ahli gizi",
        "izin praktik tenaga gizi",
    ],
    "balangan-surat-izin-kerja-tenaga-sanitarian": [
        "SIKTS",
        "SIK sanitarian",
        "izin kerja sanitarian",
        "izin sanitarian",
    ],
    "balangan-surat-izin-praktik-tanaga-kesehatan-tradisional": [
        "SIPTKT",
        "SIP tenaga kesehatan tradisional",
        "izin praktek pengobatan tradisional",
        "izin pengobat tradisional",
        "surat izin praktik tenaga kesehatan tradisional",
    ],
    "balangan-usaha-depot-air-minum-dam": [
        "DAM",
        "depot air minum",
        "izin depot air minum",
        "izin depot air isi ulang",
        "izin air isi ulang",
        "izin depot galon",
    ],
    "balangan-sertifikat-laik-higiene-jasa-boga": [
        "SLHS",
        "SLHS jasa boga",
        "izin katering",
        "izin catering",
        "sertifikat laik higiene",
        "izin jasa boga",
    ],
    # --- Balangan: sosial ---
    "balangan-izin-pendirian-lembaga-kesejahteraan-sosial-anak": [
        "izin pendirian LKSA",
        "pendirian LKSA",
        "izin pendirian panti asuhan",
        "izin mendirikan panti asuhan",
    ],
    "balangan-izin-operasional-lembaga-kesejahteraan-sosial-anak": [
        "izin operasional LKSA",
        "operasional LKSA",
        "izin operasional panti asuhan",
    ],
    "balangan-izin-penyelenggaraan-pengumpulan-uang-dan-barang": [
        "PUB",
        "izin PUB",
        "izin pengumpulan uang dan barang",
        "izin penggalangan dana",
        "izin sumbangan",
        "izin donasi",
    ],
    "balangan-izin-pengelolaan-dan-pengusahaan-sarang-burung-walet": [
        "walet",
        "izin walet",
        "izin sarang walet",
        "izin sarang burung walet",
        "izin rumah walet",
    ],
    "balangan-surat-tanda-pendaftaran-pedagang-bahan-olah-karet-alam-spesifikasi-teknis-stpp-bokar-sir": [
        "STPP-BOKAR",
        "STPP BOKAR",
        "BOKAR",
        "izin pedagang karet",
        "izin jual beli karet",
    ],
    "balangan-pengesahan-siteplan-perumahan": [
        "siteplan",
        "site plan",
        "pengesahan site plan",
        "izin siteplan",
        "izin site plan perumahan",
    ],
    # --- Ogan Komering Ilir ---
    "ogan-komering-ilir-izin-usaha-perluasan-industri": [
        "izin perluasan industri",
        "perluasan industri",
        "IPUI",
        "izin perluasan usaha industri",
    ],
    "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga": [
        "PIRT",
        "P-IRT",
        "SPP-IRT",
        "SPPIRT",
        "izin PIRT",
        "sertifikat PIRT",
        "izin pangan rumahan",
        "izin makanan rumahan",
        "izin produksi makanan rumahan",
    ],
    # --- Purwakarta ---
    _PURWAKARTA_SUSU: [
        "KBLI 10510",
        "sertifikat standar KBLI 10510",
        "sertifikat standar susu",
        "izin industri susu",
        "izin pengolahan susu",
        "izin susu segar dan krim",
    ],
}

_SECTOR_RANGES: list[tuple[range, str]] = [
    (range(1, 12), "kesehatan"),
    (range(12, 20), "pertanian"),
    (range(20, 24), "industri"),
    (range(24, 30), "koperasi"),  # IUMK (29) is issued for micro and small businesses (Koperasi dan UKM)
    (range(30, 32), "pendidikan"),
    (range(32, 33), "pariwisata"),
    (range(33, 37), "perdagangan"),
    (range(37, 40), "konstruksi"),
    (range(40, 45), "lingkungan"),
    (range(45, 47), "tenaga_kerja"),
    (range(47, 48), "perikanan"),
    (range(48, 50), "transportasi"),
    (range(50, 53), "tata_ruang"),
    (range(53, 54), "konstruksi"),  # drinking-water supply systems are public works
    (range(54, 78), "kesehatan"),
    (range(78, 81), "sosial"),
    (range(81, 82), "pertanian"),  # swiftlet nests: animal husbandry
    (range(82, 83), "perdagangan"),
    (range(83, 84), "tata_ruang"),
]

SEKTOR: dict[str, str] = {
    "balangan-pelayanan-pendampingan-perizinan-berusaha-online": "umum",
    "ogan-komering-ilir-izin-usaha-perluasan-industri": "industri",
    "ogan-komering-ilir-sertifikat-produksi-pangan-rumah-tangga": "kesehatan",
    _PURWAKARTA_SUSU: "industri",
}


def sektor_for(standard_id: str, wilayah: str, nomor: int | None) -> str:
    """The sector of a standard: explicit entry first, else by Balangan's numbering (grouped by sector)."""
    if standard_id in SEKTOR:
        return SEKTOR[standard_id]
    if wilayah == "balangan" and nomor is not None:
        for numbers, sektor in _SECTOR_RANGES:
            if nomor in numbers:
                return sektor
    return "umum"


def aliases_for(standard_id: str) -> list[str]:
    return list(ALIAS.get(standard_id, []))


# Offices: values as written in each region's documents (see the comments for where).
WILAYAH: dict[str, dict] = {
    "balangan": {
        "id": "balangan",
        "nama": "Kabupaten Balangan",
        "provinsi": "Kalimantan Selatan",
        "kantor": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Balangan",
        "alias": ["balangan", "kab balangan", "kabupaten balangan", "paringin"],
        # Letterhead of the decree.
        "alamat": ["Jl. A. Yani Km.1 Paringin Kota, Kode Pos 71662"],
        # Complaint channels as written in most of its 83 standards (kb check lists the variants).
        "telepon": ["(0526) 2028114"],
        "whatsapp": ["08125671335"],
        "email": ["dpmptsp.balangan@gmail.com"],
        "website": ["http://dpmptsp.balangkab.go.id"],
    },
    "ogan-komering-ilir": {
        "id": "ogan-komering-ilir",
        "nama": "Kabupaten Ogan Komering Ilir",
        "provinsi": "Sumatera Selatan",
        "kantor": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Ogan Komering Ilir",
        "alias": ["ogan komering ilir", "oki", "kab oki", "kabupaten ogan komering ilir"],
        # The documents give no street address.
        "alamat": [],
        # "No. HP / Telp / Fax Pengaduan : 081273345869 / (0712) 322869"
        "telepon": ["081273345869", "(0712) 322869"],
        "whatsapp": [],
        "email": ["pengaduan.dpmpstsp.kab.oki@gmail.com"],
        "website": ["http://dpmpstsp.kaboki.go.id"],
    },
    "purwakarta": {
        "id": "purwakarta",
        "nama": "Kabupaten Purwakarta",
        "provinsi": "Jawa Barat",
        "kantor": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Purwakarta",
        "alias": ["purwakarta", "kab purwakarta", "kabupaten purwakarta", "pwk"],
        "alamat": [
            "Jalan Veteran Nomor 139, Kelurahan Nagrikaler Kec. Purwakarta, Kabupaten Purwakarta, "
            "Jawa Barat 41115",
            "Mal Pelayanan Publik Bale Madukara Kabupaten Purwakarta, Jalan Jenderal Sudirman, Kelurahan "
            "Nagrikaler Kec. Purwakarta, Kabupaten Purwakarta, Jawa Barat 41115",
        ],
        "telepon": ["(0264) 8224794 ext.103"],
        "whatsapp": ["081809898222"],
        "email": ["pengaduanptsp139@gmail.com"],
        "website": ["www.dpmptsp.purwakartakab.go.id", "www.mpp.purwakartakab.go.id"],
    },
}
