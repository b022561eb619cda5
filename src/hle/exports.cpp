#include "hle/exports.h"

#include "hle/nssl/exports/exports.h"
#include "hle/nsysnet/exports/exports.h"

namespace wiiu {

void registerExports(guest::ImportTable& table)
{
    nsysnet::registerExports(table);
    nssl::registerExports(table);
}

const guest::ImportTable& importTable()
{
    static const guest::ImportTable table = [] {
        guest::ImportTable t;
        registerExports(t);
        return t;
    }();
    return table;
}

}  // namespace wiiu
