#include "header_only.h"
