/// IBAN lengths by country (the SWIFT IBAN registry), for the `iban` rule.
enum IBANCountries {
    /// The IBAN length of the country whose code is `first` `second` (two ASCII capitals, as one
    /// 16-bit number in the cases below), or `nil` when the country has no IBAN.
    static func length(_ first: UInt8, _ second: UInt8) -> Int? {
        switch UInt16(first) << 8 | UInt16(second) {
        case 0x4144: 24  // AD
        case 0x4145: 23  // AE
        case 0x414C: 28  // AL
        case 0x4154: 20  // AT
        case 0x415A: 28  // AZ
        case 0x4241: 20  // BA
        case 0x4245: 16  // BE
        case 0x4247: 22  // BG
        case 0x4248: 22  // BH
        case 0x4249: 27  // BI
        case 0x4252: 29  // BR
        case 0x4259: 28  // BY
        case 0x4348: 21  // CH
        case 0x4352: 22  // CR
        case 0x4359: 28  // CY
        case 0x435A: 24  // CZ
        case 0x4445: 22  // DE
        case 0x444A: 27  // DJ
        case 0x444B: 18  // DK
        case 0x444F: 28  // DO
        case 0x4545: 20  // EE
        case 0x4547: 29  // EG
        case 0x4553: 24  // ES
        case 0x4649: 18  // FI
        case 0x464B: 18  // FK
        case 0x464F: 18  // FO
        case 0x4652: 27  // FR
        case 0x4742: 22  // GB
        case 0x4745: 22  // GE
        case 0x4749: 23  // GI
        case 0x474C: 18  // GL
        case 0x4752: 27  // GR
        case 0x4754: 28  // GT
        case 0x4852: 21  // HR
        case 0x4855: 28  // HU
        case 0x4945: 22  // IE
        case 0x494C: 23  // IL
        case 0x4951: 23  // IQ
        case 0x4953: 26  // IS
        case 0x4954: 27  // IT
        case 0x4A4F: 30  // JO
        case 0x4B57: 30  // KW
        case 0x4B5A: 20  // KZ
        case 0x4C42: 28  // LB
        case 0x4C43: 32  // LC
        case 0x4C49: 21  // LI
        case 0x4C54: 20  // LT
        case 0x4C55: 20  // LU
        case 0x4C56: 21  // LV
        case 0x4C59: 25  // LY
        case 0x4D43: 27  // MC
        case 0x4D44: 24  // MD
        case 0x4D45: 22  // ME
        case 0x4D4B: 19  // MK
        case 0x4D4E: 20  // MN
        case 0x4D52: 27  // MR
        case 0x4D54: 31  // MT
        case 0x4D55: 30  // MU
        case 0x4E49: 28  // NI
        case 0x4E4C: 18  // NL
        case 0x4E4F: 15  // NO
        case 0x4F4D: 23  // OM
        case 0x504B: 24  // PK
        case 0x504C: 28  // PL
        case 0x5053: 29  // PS
        case 0x5054: 25  // PT
        case 0x5141: 29  // QA
        case 0x524F: 24  // RO
        case 0x5253: 22  // RS
        case 0x5255: 33  // RU
        case 0x5341: 24  // SA
        case 0x5343: 31  // SC
        case 0x5344: 18  // SD
        case 0x5345: 24  // SE
        case 0x5349: 19  // SI
        case 0x534B: 24  // SK
        case 0x534D: 27  // SM
        case 0x534F: 23  // SO
        case 0x5354: 25  // ST
        case 0x5356: 28  // SV
        case 0x544C: 23  // TL
        case 0x544E: 24  // TN
        case 0x5452: 26  // TR
        case 0x5541: 29  // UA
        case 0x5641: 22  // VA
        case 0x5647: 24  // VG
        case 0x584B: 20  // XK
        case 0x5945: 30  // YE
        default: nil
        }
    }
}
