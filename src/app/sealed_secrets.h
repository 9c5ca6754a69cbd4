// The key behind a store's sealed secrets (connections' credentials, webhook secrets and the
// Looker client secret), checked before `serve` relies on it. A key file lost, or replaced by a
// new one, would otherwise leave every correctly signed delivery answered "signature does not
// match" and every sync failing, while the server says it is ready. Single-threaded; holds nothing.
#pragma once

#include <string>

#include "auth/secret_box.h"
#include "common/status.h"
#include "config/paths.h"
#include "store/store.h"

namespace leadline::app {

// Ok when `box` opens every sealed secret in `store`; FailedPrecondition naming the first
// connection, and which of its secrets, that does not open.
common::Status CheckSealedSecrets(store::Store& store, const auth::SecretBox& box);

// The key for the store at `paths`: LEADLINE_SECRET_KEY when set, else its key file, checked
// with CheckSealedSecrets. When the store holds sealed secrets, a missing key file is an error
// naming it (a new key would open none of them), not created as for a store without any.
common::Result<auth::SecretBox> OpenCheckedKey(store::Store& store, const config::Paths& paths);

}  // namespace leadline::app
