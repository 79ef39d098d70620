// Everything a user of the document API needs: include this and a driver's header.
#pragma once

#include "nosqlc/nosql/async.hpp"
#include "nosqlc/nosql/client.hpp"
#include "nosqlc/nosql/collection.hpp"
#include "nosqlc/nosql/cursor.hpp"
#include "nosqlc/nosql/driver.hpp"
#include "nosqlc/nosql/driver_manager.hpp"
#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/parse_filter.hpp"

#include <nosqlc/filter/filter.hpp>

namespace nosqlc {
using filter::Filter;
}
