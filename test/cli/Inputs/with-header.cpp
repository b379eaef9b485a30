#include "with-header.h"
