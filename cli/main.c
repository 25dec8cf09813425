#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("xcsim %s\n", XCSIM_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: xcsim --version\n");
	return 2;
}
