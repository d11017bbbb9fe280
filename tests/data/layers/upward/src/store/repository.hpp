#pragma once
#include "geo/shape.hpp"
