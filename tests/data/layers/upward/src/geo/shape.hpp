#pragma once
// A lower layer reaching up: what the layer check must refuse.
#include "text/plain.hpp"
#include "store/repository.hpp"
