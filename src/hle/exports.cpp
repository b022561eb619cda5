#include "hle/exports.h"

#include "hle/nssl/exports/exports.h"
#include "hle/nsysnet/exports/exports.h"

namespace wiiu {

void registerExports(guest::ImportTableBuilder& table)
{
    nsysnet::registerExports(table);
    nssl::registerExports(table);
}

const guest::ImportTable& importTable()
{
    static const guest::ImportTable table = [] {
        guest::ImportTable t;
        guest::ImportTableBuilder builder(t);
        registerExports(builder);
        return t;
    }();
    return table;
}

}  // namespace wiiu
