import { Controller, Get, Param, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Viewer } from '../../../common/viewer';
import { CurrentViewer } from '../viewer.decorator';
import { SeriesPresenter } from './series.presenter';

@ApiExcludeController()
@Controller('series')
export class SeriesPageController {
  constructor(private readonly series: SeriesPresenter) {}

  @Get()
  @Render('series/index')
  list(@CurrentViewer() viewer: Viewer | null) {
    return this.series.list(viewer);
  }

  @Get(':id')
  @Render('series/series')
  page(@Param('id') id: string, @CurrentViewer() viewer: Viewer | null) {
    return this.series.present(id, viewer);
  }
}
