import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Viewer } from '../../../common/viewer';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';

@ApiExcludeController()
@Controller()
export class AboutPageController {
  constructor(private readonly site: Site) {}

  @Get('about')
  @Render('about/index')
  about(@CurrentViewer() viewer: Viewer | null) {
    return {
      ...this.site.layout({ title: 'About', active: 'about', viewer, path: '/about' }),
      base: this.site.links.base,
    };
  }
}
