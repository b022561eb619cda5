#include "certstore/known_certs.h"

#include <algorithm>
#include <iterator>

namespace wiiu::certstore {
namespace {

// Sources: shared/reference/wiiu-nssl-facts.md §4. Server file names come from Cemu's table;
// 1900/1901 are in no emulator's table, so their names are guesses. SHA-1 fingerprints of the
// CA certificates are the ones devkitPro/wut documents in include/nsysnet/nssl.h. The client
// certificates' fingerprints are not public: left empty (unknown).
// Client IDs 7 and 8 reuse the files of 4 (OLIVE) and 6 (WOOD); only their permissions differ.
constexpr KnownCert kKnown[] = {
    {100, "NINTENDO_CA", Kind::ServerCa, kGroupNintendo, "scerts/CACERT_NINTENDO_CA.der", "", false, "b5229455dd26c1f53c73060e9089b391389e1f75"},
    {101, "NINTENDO_CA_G2", Kind::ServerCa, kGroupNintendo, "scerts/CACERT_NINTENDO_CA_G2.der", "", false, "c60b2a5cc90f0630cca33040df6b3378239f3bfa"},
    {102, "NINTENDO_CA_G3", Kind::ServerCa, kGroupNintendo, "scerts/CACERT_NINTENDO_CA_G3.der", "", false, "68a07705ccc7a408416e0ed7ad65f2ec3fea9862"},
    {103, "NINTENDO_CLASS2_CA", Kind::ServerCa, kGroupNintendo, "scerts/CACERT_NINTENDO_CLASS2_CA.der", "", false, "aa8ef66ae0f807edb841c889ee3666a259a28ccc"},
    {104, "NINTENDO_CLASS2_CA_G2", Kind::ServerCa, kGroupNintendo, "scerts/CACERT_NINTENDO_CLASS2_CA_G2.der", "", false, "039de5373ac65e1aee898d54e7563576ebbe549b"},
    {105, "NINTENDO_CLASS2_CA_G3", Kind::ServerCa, kGroupNintendo, "scerts/CACERT_NINTENDO_CLASS2_CA_G3.der", "", false, "fab56c4cc7cff5071d40b6b0073861d290ca2a1a"},
    {1001, "BALTIMORE_CYBERTRUST_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/BALTIMORE_CYBERTRUST_ROOT_CA.der", "", false, "d4de20d05e66fc53fe1a50882c78db2852cae474"},
    {1002, "CYBERTRUST_GLOBAL_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/CYBERTRUST_GLOBAL_ROOT_CA.der", "", false, "5f43e5b1bff8788cac1cc7ca4a9ac6222bcc34c6"},
    {1003, "VERIZON_GLOBAL_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/VERIZON_GLOBAL_ROOT_CA.der", "", false, "912198eef23dcac40939312fee97dd560bae49b1"},
    {1004, "GLOBALSIGN_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/GLOBALSIGN_ROOT_CA.der", "", false, "b1bc968bd4f49d622aa89a81f2150152a41d829c"},
    {1005, "GLOBALSIGN_ROOT_CA_R2", Kind::ServerCa, kGroupCommercial, "scerts/GLOBALSIGN_ROOT_CA_R2.der", "", false, "75e0abb6138512271c04f85fddde38e4b7242efe"},
    {1006, "GLOBALSIGN_ROOT_CA_R3", Kind::ServerCa, kGroupCommercial, "scerts/GLOBALSIGN_ROOT_CA_R3.der", "", false, "d69b561148f01c77c54578c10926df5b856976ad"},
    {1007, "VERISIGN_CLASS3_PUBLIC_PRIMARY_CA_G3", Kind::ServerCa, kGroupCommercial, "scerts/VERISIGN_CLASS3_PUBLIC_PRIMARY_CA_G3.der", "", false, "132d0d45534b6997cdb2d5c339e25576609b5cc6"},
    {1008, "VERISIGN_UNIVERSAL_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/VERISIGN_UNIVERSAL_ROOT_CA.der", "", false, "3679ca35668772304d30a5fb873b0fa77bb70d54"},
    {1009, "VERISIGN_CLASS3_PUBLIC_PRIMARY_CA_G5", Kind::ServerCa, kGroupCommercial, "scerts/VERISIGN_CLASS3_PUBLIC_PRIMARY_CA_G5.der", "", false, "4eb6d578499b1ccf5f581ead56be3d9b6744a5e5"},
    {1010, "THAWTE_PRIMARY_ROOT_CA_G3", Kind::ServerCa, kGroupCommercial, "scerts/THAWTE_PRIMARY_ROOT_CA_G3.der", "", false, "f18b538d1be903b6a6f056435b171589caf36bf2"},
    {1011, "THAWTE_PRIMARY_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/THAWTE_PRIMARY_ROOT_CA.der", "", false, "91c6d6ee3e8ac86384e548c299295c756c817b81"},
    {1012, "GEOTRUST_GLOBAL_CA", Kind::ServerCa, kGroupCommercial, "scerts/GEOTRUST_GLOBAL_CA.der", "", false, "de28f4a4ffe5b92fa3c503d1a349a7f9962a8212"},
    {1013, "GEOTRUST_GLOBAL_CA2", Kind::ServerCa, kGroupCommercial, "scerts/GEOTRUST_GLOBAL_CA2.der", "", false, "a9e9780814375888f20519b06d2b0d2b6016907d"},
    {1014, "GEOTRUST_PRIMARY_CA", Kind::ServerCa, kGroupCommercial, "scerts/GEOTRUST_PRIMARY_CA.der", "", false, "323c118e1bf7b8b65254e2e2100dd6029037f096"},
    {1015, "GEOTRUST_PRIMARY_CA_G3", Kind::ServerCa, kGroupCommercial, "scerts/GEOTRUST_PRIMARY_CA_G3.der", "", false, "039eedb80be7a03c6953893b20d2d9323a4c2afd"},
    {1016, "ADDTRUST_EXT_CA_ROOT", Kind::ServerCa, kGroupCommercial, "scerts/ADDTRUST_EXT_CA_ROOT.der", "", false, "02faf3e291435468607857694df5e45b68851868"},
    {1017, "COMODO_CA", Kind::ServerCa, kGroupCommercial, "scerts/COMODO_CA.der", "", false, "ee869387fffd8349ab5ad14322588789a457b012"},
    {1018, "UTN_DATACORP_SGC_CA", Kind::ServerCa, kGroupCommercial, "scerts/UTN_DATACORP_SGC_CA.der", "", false, "58119f0e128287ea50fdd987456f4f78dcfad6d4"},
    {1019, "UTN_USERFIRST_HARDWARE_CA", Kind::ServerCa, kGroupCommercial, "scerts/UTN_USERFIRST_HARDWARE_CA.der", "", false, "0483ed3399ac3608058722edbc5e4600e3bef9d7"},
    {1020, "DIGICERT_HIGH_ASSURANCE_EV_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/DIGICERT_HIGH_ASSURANCE_EV_ROOT_CA.der", "", false, "5fb7ee0633e259dbad0c4c9ae6d38f1a61c7dc25"},
    {1021, "DIGICERT_ASSURED_ID_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/DIGICERT_ASSURED_ID_ROOT_CA.der", "", false, "0563b8630d62d75abbc8ab1e4bdfb5a899b24d43"},
    {1022, "DIGICERT_GLOBAL_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/DIGICERT_GLOBAL_ROOT_CA.der", "", false, "a8985d3a65e5e5c4b2d7d66d40c6dd2fb19c5436"},
    {1023, "GTE_CYBERTRUST_GLOBAL_ROOT", Kind::ServerCa, kGroupCommercial, "scerts/GTE_CYBERTRUST_GLOBAL_ROOT.der", "", false, "97817950d81c9670cc34d809cf794431367ef474"},
    {1024, "VERISIGN_CLASS3_PUBLIC_PRIMARY_CA", Kind::ServerCa, kGroupCommercial, "scerts/VERISIGN_CLASS3_PUBLIC_PRIMARY_CA.der", "", false, "a1db6393916f17e4185509400415c70240b0ae6b"},
    {1025, "THAWTE_PREMIUM_SERVER_CA", Kind::ServerCa, kGroupCommercial, "scerts/THAWTE_PREMIUM_SERVER_CA.der", "", false, "627f8d7827656399d27d7f9044c9feb3f33efa9a"},
    {1026, "EQUIFAX_SECURE_CA", Kind::ServerCa, kGroupCommercial, "scerts/EQUIFAX_SECURE_CA.der", "", false, "d23209ad23d314232174e40d7f9d62139786633a"},
    {1027, "ENTRUST_SECURE_SERVER_CA", Kind::ServerCa, kGroupCommercial, "scerts/ENTRUST_SECURE_SERVER_CA.der", "", false, "99a69be61afe886b4d2b82007cb854fc317e1539"},
    {1028, "VERISIGN_CLASS3_PUBLIC_PRIMARY_CA_G2", Kind::ServerCa, kGroupCommercial, "scerts/VERISIGN_CLASS3_PUBLIC_PRIMARY_CA_G2.der", "", false, "85371ca6e550143dce2803471bde3a09e8f8770f"},
    {1029, "ENTRUST_CA_2048", Kind::ServerCa, kGroupCommercial, "scerts/ENTRUST_CA_2048.der", "", false, "503006091d97d4f5ae39f7cbe7927d7d652d3431"},
    {1030, "ENTRUST_ROOT_CA", Kind::ServerCa, kGroupCommercial, "scerts/ENTRUST_ROOT_CA.der", "", false, "b31eb1b740e36c8402dadc37d44df5d4674952f9"},
    {1031, "ENTRUST_ROOT_CA_G2", Kind::ServerCa, kGroupCommercial, "scerts/ENTRUST_ROOT_CA_G2.der", "", false, "8cf427fd790c3ad166068de81e57efbb932272d4"},
    {1032, "DIGICERT_ASSURED_ID_ROOT_CA_G2", Kind::ServerCa, kGroupCommercial, "scerts/DIGICERT_ASSURED_ID_ROOT_CA_G2.der", "", false, "a14b48d943ee0a0e40904f3ce0a4c09193515d3f"},
    {1033, "DIGICERT_GLOBAL_ROOT_CA_G2", Kind::ServerCa, kGroupCommercial, "scerts/DIGICERT_GLOBAL_ROOT_CA_G2.der", "", false, "df3c24f9bfd666761b268073fe06d1cc8d4f82a4"},
    {1900, "COMODO_RSA_CA", Kind::ServerCa, kGroupCommercial4096, "scerts/COMODO_RSA_CA.der", "", true, "afe5d244a8d1194230ff479fe2f897bbcd7a8cb4"},
    {1901, "USERTRUST_RSA_CA", Kind::ServerCa, kGroupCommercial4096, "scerts/USERTRUST_RSA_CA.der", "", true, "2b8f1b57330dbba2d07a6c51f70ee90ddab9ad8e"},
    {1, "WIIU_COMMON_1", Kind::Client, 0, "ccerts/WIIU_COMMON_1_CERT.der", "ccerts/WIIU_COMMON_1_RSA_KEY.aes", false, ""},
    {3, "WIIU_ACCOUNT_1", Kind::Client, 0, "ccerts/WIIU_ACCOUNT_1_CERT.der", "ccerts/WIIU_ACCOUNT_1_RSA_KEY.aes", false, ""},
    {4, "WIIU_OLIVE_1", Kind::Client, 0, "ccerts/WIIU_OLIVE_1_CERT.der", "ccerts/WIIU_OLIVE_1_RSA_KEY.aes", false, ""},
    {5, "WIIU_VINO_1", Kind::Client, 0, "ccerts/WIIU_VINO_1_CERT.der", "ccerts/WIIU_VINO_1_RSA_KEY.aes", false, ""},
    {6, "WIIU_WOOD_1", Kind::Client, 0, "ccerts/WIIU_WOOD_1_CERT.der", "ccerts/WIIU_WOOD_1_RSA_KEY.aes", false, ""},
    {7, "WIIU_OLIVE_1_GAME", Kind::Client, 0, "ccerts/WIIU_OLIVE_1_CERT.der", "ccerts/WIIU_OLIVE_1_RSA_KEY.aes", false, ""},
    {8, "WIIU_WOOD_1_GAME", Kind::Client, 0, "ccerts/WIIU_WOOD_1_CERT.der", "ccerts/WIIU_WOOD_1_RSA_KEY.aes", false, ""},
};

}  // namespace

std::span<const KnownCert> knownCerts() { return kKnown; }

const KnownCert* findKnown(std::int32_t id)
{
    auto it = std::find_if(std::begin(kKnown), std::end(kKnown), [id](const KnownCert& k) { return k.id == id; });
    return it == std::end(kKnown) ? nullptr : &*it;
}

Permissions unrestrictedPermissions(const KnownCert& known)
{
    Permissions p;
    p.type = known.kind == Kind::Client ? kTypeClient : kTypeServer;
    p.encoding = kEncodingDer;
    p.properties = kPropExportable | (known.keyPath.empty() ? 0 : kPropHasKey);
    p.processIds = {-4};  // any process
    return p;
}

}  // namespace wiiu::certstore
