#pragma once
// What can go wrong when publishing or checking a publication, by kind: the command line and the
// server map each type to an exit code or a status, never a message to a decision.
#include <stdexcept>

namespace keepout::publish {

struct PublishError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A key file that cannot be read, is not an Ed25519 key, or is protected by a passphrase.
struct KeyError : PublishError {
    using PublishError::PublishError;
};
// A key file that is already there: a key is never overwritten.
struct KeyFileExists : KeyError {
    using KeyError::KeyError;
};
// The signing key is not one of the database's publication keys (keepout key create stores one).
struct KeyNotStored : PublishError {
    using PublishError::PublishError;
};
// Publishing needs the mission profile: the document names the mission and its time zone.
struct NoMissionProfile : PublishError {
    using PublishError::PublishError;
};
// The list changed while the publication was being made, again and again.
struct ListChanged : PublishError {
    using PublishError::PublishError;
};
// A file that is not a keepout publication (not JSON, or without its fields), or a signature file
// that is not 64 bytes.
struct PublicationUnreadable : PublishError {
    using PublishError::PublishError;
};
// The signature does not match the bytes with this key: the copy was changed, or another key signed it.
struct SignatureInvalid : PublishError {
    using PublishError::PublishError;
};

}  // namespace keepout::publish
