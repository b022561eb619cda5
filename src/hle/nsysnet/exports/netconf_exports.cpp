// The export families of nsysnet and nn_nets2 the module does not implement, listed so that the
// import table resolves every name a title imports and coverageReport() is complete: the
// netconf_* network configuration calls and the WD* Wi-Fi driver calls of nsysnet, and the
// icmp_* calls and somemopt of nn_nets2 (names from wut's cafe/nsysnet.def and
// cafe/nn_nets2.def). Each answers -1 with socketlasterr() = SO_EOPNOTSUPP, logged once per
// process: nothing public says what they return, and an emulator has no network settings or
// radio to report.
#include "common/log.h"
#include "hle/export_failures.h"
#include "hle/nsysnet/exports/exports.h"

namespace wiiu::nsysnet {

void registerNetconfExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kNsysnet[] = {
        WIIU_NOT_IMPLEMENTED("netconf_close"),
        WIIU_NOT_IMPLEMENTED("netconf_delete_profile"),
        WIIU_NOT_IMPLEMENTED("netconf_get_all_profile_state"),
        WIIU_NOT_IMPLEMENTED("netconf_get_assigned_address"),
        WIIU_NOT_IMPLEMENTED("netconf_get_assigned_dns"),
        WIIU_NOT_IMPLEMENTED("netconf_get_assigned_gateway"),
        WIIU_NOT_IMPLEMENTED("netconf_get_assigned_subnet"),
        WIIU_NOT_IMPLEMENTED("netconf_get_dns"),
        WIIU_NOT_IMPLEMENTED("netconf_get_eth_cfg"),
        WIIU_NOT_IMPLEMENTED("netconf_get_if_adminstate"),
        WIIU_NOT_IMPLEMENTED("netconf_get_if_ipv4_info"),
        WIIU_NOT_IMPLEMENTED("netconf_get_if_ipv4_info_ex"),
        WIIU_NOT_IMPLEMENTED("netconf_get_if_linkstate"),
        WIIU_NOT_IMPLEMENTED("netconf_get_if_macaddr"),
        WIIU_NOT_IMPLEMENTED("netconf_get_if_operstate"),
        WIIU_NOT_IMPLEMENTED("netconf_get_ifstate"),
        WIIU_NOT_IMPLEMENTED("netconf_get_interface_mtu"),
        WIIU_NOT_IMPLEMENTED("netconf_get_last_wifi_link_error"),
        WIIU_NOT_IMPLEMENTED("netconf_get_profile_state"),
        WIIU_NOT_IMPLEMENTED("netconf_get_proxy_config"),
        WIIU_NOT_IMPLEMENTED("netconf_get_running"),
        WIIU_NOT_IMPLEMENTED("netconf_get_startup_profile_id"),
        WIIU_NOT_IMPLEMENTED("netconf_get_valid_flags"),
        WIIU_NOT_IMPLEMENTED("netconf_get_wifi_cfg"),
        WIIU_NOT_IMPLEMENTED("netconf_getopt"),
        WIIU_NOT_IMPLEMENTED("netconf_init"),
        WIIU_NOT_IMPLEMENTED("netconf_nv_load"),
        WIIU_NOT_IMPLEMENTED("netconf_nv_read"),
        WIIU_NOT_IMPLEMENTED("netconf_nv_store"),
        WIIU_NOT_IMPLEMENTED("netconf_nv_write"),
        WIIU_NOT_IMPLEMENTED("netconf_read_aoss_config"),
        WIIU_NOT_IMPLEMENTED("netconf_read_compat_profile_id"),
        WIIU_NOT_IMPLEMENTED("netconf_set_dns"),
        WIIU_NOT_IMPLEMENTED("netconf_set_eth_cfg"),
        WIIU_NOT_IMPLEMENTED("netconf_set_if_admin_state"),
        WIIU_NOT_IMPLEMENTED("netconf_set_if_ipv4_info"),
        WIIU_NOT_IMPLEMENTED("netconf_set_if_ipv4_info_ex"),
        WIIU_NOT_IMPLEMENTED("netconf_set_interface_mtu"),
        WIIU_NOT_IMPLEMENTED("netconf_set_proxy_config"),
        WIIU_NOT_IMPLEMENTED("netconf_set_running"),
        WIIU_NOT_IMPLEMENTED("netconf_set_startup_profile_id"),
        WIIU_NOT_IMPLEMENTED("netconf_set_valid_flag"),
        WIIU_NOT_IMPLEMENTED("netconf_set_wifi_cfg"),
        WIIU_NOT_IMPLEMENTED("netconf_setopt"),
        WIIU_NOT_IMPLEMENTED("netconf_write_aoss_config"),
        WIIU_NOT_IMPLEMENTED("netconf_write_compat_profile_id"),
        WIIU_NOT_IMPLEMENTED("WDAnalyzeScanResults"),
        WIIU_NOT_IMPLEMENTED("WDClose"),
        WIIU_NOT_IMPLEMENTED("WDDataTestStart"),
        WIIU_NOT_IMPLEMENTED("WDDataTestStop"),
        WIIU_NOT_IMPLEMENTED("WDFindGameInfoIe"),
        WIIU_NOT_IMPLEMENTED("WDFindInformationElement"),
        WIIU_NOT_IMPLEMENTED("WDFindVendSpecInformationElement"),
        WIIU_NOT_IMPLEMENTED("WDFindWpaInformationElement"),
        WIIU_NOT_IMPLEMENTED("WDGenWpsPin"),
        WIIU_NOT_IMPLEMENTED("WDGetAmd"),
        WIIU_NOT_IMPLEMENTED("WDGetAnt"),
        WIIU_NOT_IMPLEMENTED("WDGetCC"),
        WIIU_NOT_IMPLEMENTED("WDGetChan"),
        WIIU_NOT_IMPLEMENTED("WDGetLinkStatus"),
        WIIU_NOT_IMPLEMENTED("WDGetMacAddress"),
        WIIU_NOT_IMPLEMENTED("WDGetOtpCcSettings"),
        WIIU_NOT_IMPLEMENTED("WDGetPrivacyMode"),
        WIIU_NOT_IMPLEMENTED("WDGetRadioLevel"),
        WIIU_NOT_IMPLEMENTED("WDGetRssi"),
        WIIU_NOT_IMPLEMENTED("WDLinkDown"),
        WIIU_NOT_IMPLEMENTED("WDLinkUp"),
        WIIU_NOT_IMPLEMENTED("WDOpen"),
        WIIU_NOT_IMPLEMENTED("WDReceiveDataAsync"),
        WIIU_NOT_IMPLEMENTED("WDRegisterUdsEventsCallbacks"),
        WIIU_NOT_IMPLEMENTED("WDScan"),
        WIIU_NOT_IMPLEMENTED("WDScanAsync"),
        WIIU_NOT_IMPLEMENTED("WDSendDataAsync"),
        WIIU_NOT_IMPLEMENTED("WDSetAnt"),
        WIIU_NOT_IMPLEMENTED("WDSetCC"),
        WIIU_NOT_IMPLEMENTED("WDShimInit"),
        WIIU_NOT_IMPLEMENTED("WDShowInfo"),
        WIIU_NOT_IMPLEMENTED("WDSortByRSSI"),
        WIIU_NOT_IMPLEMENTED("WDUdsChanMeas"),
        WIIU_NOT_IMPLEMENTED("WDUdsCommitIe"),
        WIIU_NOT_IMPLEMENTED("WDUdsDeleteIe"),
        WIIU_NOT_IMPLEMENTED("WDUdsInitParent"),
        WIIU_NOT_IMPLEMENTED("WDUdsSetIe"),
        WIIU_NOT_IMPLEMENTED("WDUdsStartParent"),
        WIIU_NOT_IMPLEMENTED("WDUdsStopParent"),
        WIIU_NOT_IMPLEMENTED("WDUdsUninitParent"),
        WIIU_NOT_IMPLEMENTED("WDWpsStart"),
        WIIU_NOT_IMPLEMENTED("WDWpsStartAsync"),
        WIIU_NOT_IMPLEMENTED("WDWpsStop"),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kNsysnet});
    static constexpr guest::ExportDef kNets2[] = {
        WIIU_NOT_IMPLEMENTED("icmp_cancel"),
        WIIU_NOT_IMPLEMENTED("icmp_close_handle"),
        WIIU_NOT_IMPLEMENTED("icmp_create_handle"),
        WIIU_NOT_IMPLEMENTED("icmp_last_code_type"),
        WIIU_NOT_IMPLEMENTED("icmp_ping"),
        WIIU_NOT_IMPLEMENTED("somemopt"),
    };
    table.add({guest::ExportPart::Sockets, "nn_nets2", log::Channel::nsysnet, failure::minusOne, kNets2});
}

}  // namespace wiiu::nsysnet
